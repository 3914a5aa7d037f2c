#include "kube/kubeobject.h"

namespace kd::kube {

namespace {

QString stringAt(const Json &metadata, const char *key) {
    auto it = metadata.find(key);
    if (it == metadata.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get_ref<const std::string &>());
}

} // namespace

KubeObject::KubeObject(Json json)
    : m_json(std::move(json)) {
    if (!m_json.is_object())
        return;
    auto meta = m_json.find("metadata");
    if (meta != m_json.end() && meta->is_object()) {
        meta->erase("managedFields");
        m_name = stringAt(*meta, "name");
        m_namespace = stringAt(*meta, "namespace");
        m_uid = stringAt(*meta, "uid");
        m_resourceVersion = stringAt(*meta, "resourceVersion");
    }
    m_kind = stringAt(m_json, "kind");
}

} // namespace kd::kube
