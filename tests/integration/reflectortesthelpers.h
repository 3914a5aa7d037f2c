#pragma once
// Shared by tst_reflector and tst_session: what the sandbox holds and what an ObjectStore holds,
// as sorted "namespace/name@resourceVersion" lines, so a test can wait until they agree.

#include "kubeclienttesthelpers.h"

#include "model/objectstore.h"
#include "sandbox/resources.h"

#include <QStringList>

namespace kd::testing {

inline QStringList serverSnapshot(SandboxFixture &sandbox, const char *apiVersion, const char *kind,
                                  const std::string &ns = {}) {
    QStringList out;
    for (const auto &o :
         sandbox.cluster().store().list(sandbox::resourceType(apiVersion, kind), ns))
        out.push_back(QString::fromStdString(sandbox::namespaceOf(*o) + "/" + sandbox::nameOf(*o) +
                                             "@" +
                                             sandbox::str(*o, {"metadata", "resourceVersion"})));
    out.sort();
    return out;
}

inline QStringList storeSnapshot(const model::ObjectStore &store, const QString &kindKey,
                                 const QString &ns = {}) {
    QStringList out;
    for (const kube::ObjectPtr &o : store.list(kindKey, ns))
        out.push_back(o->namespaceName() + QLatin1Char('/') + o->name() + QLatin1Char('@') +
                      o->resourceVersion());
    out.sort();
    return out;
}

inline kube::RestConfig tokenConfig(sandbox::ApiServer &server, const std::string &token) {
    kube::RestConfig c = noCredentialConfig(server);
    c.bearerToken = QByteArray::fromStdString(token);
    return c;
}

} // namespace kd::testing
