#include "manifest/yamlemit.h"

#include <yaml-cpp/yaml.h>

namespace kd::manifest {

namespace {

void emit(YAML::Emitter &out, const nlohmann::json &v) {
    switch (v.type()) {
    case nlohmann::json::value_t::object:
        if (v.empty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            return;
        }
        out << YAML::BeginMap;
        for (auto it = v.begin(); it != v.end(); ++it) {
            out << YAML::Key << it.key() << YAML::Value;
            emit(out, *it);
        }
        out << YAML::EndMap;
        return;
    case nlohmann::json::value_t::array:
        if (v.empty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            return;
        }
        out << YAML::BeginSeq;
        for (const auto &item : v)
            emit(out, item);
        out << YAML::EndSeq;
        return;
    case nlohmann::json::value_t::string:
        out << v.get_ref<const std::string &>();
        return;
    case nlohmann::json::value_t::boolean:
        out << (v.get<bool>() ? "true" : "false");
        return;
    case nlohmann::json::value_t::null:
        out << YAML::Null;
        return;
    case nlohmann::json::value_t::number_integer:
        out << v.get<long long>();
        return;
    case nlohmann::json::value_t::number_unsigned:
        out << v.get<unsigned long long>();
        return;
    default:
        out << v.dump(); // floats as JSON prints them; binary never occurs in API objects
        return;
    }
}

} // namespace

std::string toYaml(const nlohmann::json &value) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    emit(out, value);
    std::string text = out.c_str();
    if (!text.empty() && text.back() != '\n')
        text += '\n';
    return text;
}

} // namespace kd::manifest
