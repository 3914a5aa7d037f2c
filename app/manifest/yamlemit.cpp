#include "manifest/yamlemit.h"

#include "manifest/yamljson.h"

#include <yaml-cpp/yaml.h>

namespace kd::manifest {

namespace {

template<typename JsonT> void emit(YAML::Emitter &out, const JsonT &v) {
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
    case nlohmann::json::value_t::string: {
        // "true", "1.0", "0x10" or "" unquoted would read back as another type.
        const std::string &text = v.template get_ref<const std::string &>();
        if (!resolvePlainScalar(text).is_string())
            out << YAML::DoubleQuoted;
        out << text;
        return;
    }
    case nlohmann::json::value_t::boolean:
        out << (v.template get<bool>() ? "true" : "false");
        return;
    case nlohmann::json::value_t::null:
        out << YAML::Null;
        return;
    case nlohmann::json::value_t::number_integer:
        out << v.template get<long long>();
        return;
    case nlohmann::json::value_t::number_unsigned:
        out << v.template get<unsigned long long>();
        return;
    default:
        out << v.dump(); // floats as JSON prints them; binary never occurs in API objects
        return;
    }
}

template<typename JsonT> std::string emitDocument(const JsonT &value) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    emit(out, value);
    std::string text = out.c_str();
    if (!text.empty() && text.back() != '\n')
        text += '\n';
    return text;
}

} // namespace

std::string toYaml(const nlohmann::json &value) {
    return emitDocument(value);
}

std::string toYaml(const nlohmann::ordered_json &value) {
    return emitDocument(value);
}

} // namespace kd::manifest
