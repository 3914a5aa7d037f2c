#pragma once
// An object as the client caches it: immutable, shared between threads, managedFields dropped
// (they are large and the GUI never shows them).

#include <nlohmann/json.hpp>

#include <QString>

#include <memory>
#include <vector>

namespace kd::kube {

using Json =
    nlohmann::ordered_json; // keeps the server's key order; ~30% smaller than a map per key

// What to list and watch: apps/v1 deployments.
struct ResourceKind {
    QString group; // "" for the core group
    QString version;
    QString resource; // plural, lower case
    QString kind;
    bool namespaced = true;

    QString groupVersion() const {
        return group.isEmpty() ? version : group + QLatin1Char('/') + version;
    }
    // "deployments.apps", "pods": unique key of the kind.
    QString key() const { return group.isEmpty() ? resource : resource + QLatin1Char('.') + group; }
    friend bool operator==(const ResourceKind &a, const ResourceKind &b) {
        return a.group == b.group && a.version == b.version && a.resource == b.resource;
    }
};

class KubeObject final {
public:
    // Takes the object as the server sent it; drops metadata.managedFields.
    explicit KubeObject(Json json);

    const Json &json() const { return m_json; }
    const QString &name() const { return m_name; }
    const QString &namespaceName() const { return m_namespace; }
    const QString &uid() const { return m_uid; }
    const QString &resourceVersion() const { return m_resourceVersion; }
    const QString &kind() const { return m_kind; }

private:
    Json m_json;
    QString m_name;
    QString m_namespace;
    QString m_uid;
    QString m_resourceVersion;
    QString m_kind;
};

using ObjectPtr = std::shared_ptr<const KubeObject>;

struct Delta {
    enum class Type { Added, Modified, Deleted };
    Type type = Type::Added;
    ObjectPtr object;
};

// A batch of changes of one kind, delivered to the GUI thread. When `replace` is true, the
// batch holds the complete current set (after a list or relist): everything of this kind in
// the batch's namespace scope that the batch does not name is gone.
struct DeltaBatch {
    ResourceKind kind;
    QString namespaceScope; // "" = all namespaces
    bool replace = false;
    std::vector<Delta> deltas;
};

} // namespace kd::kube
