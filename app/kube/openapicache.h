#pragma once
// The structural schemas of a cluster's kinds, read from its OpenAPI v3 documents (GET
// /openapi/v3, then one document per group version) and kept on disk per server and Kubernetes
// version, so that a later load downloads only the documents whose hash has changed.

#include "kube/apiclient.h"
#include "manifest/schema.h"

#include <QFuture>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace kd::kube {

struct ClusterSchemas {
    std::shared_ptr<const manifest::SchemaSet> schemas; // source: "cluster (v1.30.2)"
    QString gitVersion;
    int documentsFetched = 0;  // group-version documents downloaded by this load
    int documentsFromDisk = 0; // read from the cache: their hash had not changed
    QStringList skipped;       // "apis/metrics.k8s.io/v1beta1: why": documents left out
};

// Loads on a pool thread and finishes there (continue with whenDone()). Fails with the request's
// Error when /version or the index cannot be read (a server without OpenAPI v3 gives
// ErrorKind::NotFound with a message that says so) and when the cluster becomes unreachable or
// refuses the credentials part-way; one group version that fails to download or import is
// skipped and named in `skipped`. `cacheRoot` replaces QStandardPaths::CacheLocation. The
// client must outlive the call; destroying it cancels the load (ErrorKind::Cancelled).
QFuture<Result<ClusterSchemas>> loadClusterSchemas(ApiClient &client,
                                                   const QString &cacheRoot = {});

// <CacheLocation, or cacheRoot>/openapi/<16 hex digits of SHA-256(server URL)>/<gitVersion>:
// one file per group version ("apis_apps_v1.json", the server's bytes) and index.json.
QString openApiCacheDirectory(const QUrl &server, const QString &gitVersion,
                              const QString &cacheRoot = {});

} // namespace kd::kube
