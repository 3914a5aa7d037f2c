#pragma once
// One complete list of a kind, page by page, without a watch: the snapshot a headless command
// (`kubedeck topology`) works from. Items get the kind and apiVersion list items lack, exactly
// as the reflectors cache them.

#include "kube/apiclient.h"
#include "kube/error.h"
#include "kube/kubeobject.h"

namespace kd::kube {

// Blocks the calling thread until the last page arrived (never call it on the GUI thread); the
// client's connect and read-idle time-outs bound every page. A
// continue token that expired (410) starts the list over, at most a few times. Returns a
// replace batch of `kind` in `ns` ("" = all namespaces; ignored for cluster-scoped kinds).
Result<DeltaBatch> listOnce(ApiClient &client, const ResourceKind &kind, const QString &ns,
                            int pageSize = 500);

} // namespace kd::kube
