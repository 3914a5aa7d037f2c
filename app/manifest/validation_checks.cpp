// The cause collector and the typed, never-throwing reads every check uses.

#include "manifest/validation_checks.h"

#include <climits>
#include <cstdint>

namespace kd::manifest::detail {

namespace {

const char *jsonTypeName(const Json &v) {
    switch (v.type()) {
    case Json::value_t::null:
        return "null";
    case Json::value_t::boolean:
        return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
        return "integer";
    case Json::value_t::number_float:
        return "number";
    case Json::value_t::string:
        return "string";
    case Json::value_t::array:
        return "array";
    default:
        return "object";
    }
}

} // namespace

const Json *Checks::object(const Json &parent, const char *name, const std::string &path) {
    const Json *v = member(parent, name);
    return v ? asObject(*v, path) : nullptr;
}

const Json *Checks::array(const Json &parent, const char *name, const std::string &path) {
    const Json *v = member(parent, name);
    if (v && !v->is_array()) {
        typeInvalid(path, *v, "array");
        return nullptr;
    }
    return v;
}

const std::string *Checks::string(const Json &parent, const char *name, const std::string &path) {
    const Json *v = member(parent, name);
    return v ? asString(*v, path) : nullptr;
}

std::optional<long long> Checks::int32(const Json &parent, const char *name,
                                       const std::string &path) {
    const auto v = int64(parent, name, path);
    if (v && (*v < INT32_MIN || *v > INT32_MAX)) {
        // A real server cannot even decode this into its int32 field.
        invalid(path, Value::num(*v), inclusiveRangeError(INT32_MIN, INT32_MAX));
        return std::nullopt;
    }
    return v;
}

std::optional<long long> Checks::int64(const Json &parent, const char *name,
                                       const std::string &path) {
    const Json *v = member(parent, name);
    if (!v)
        return std::nullopt;
    if (v->is_number_unsigned()) {
        const auto u = v->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(LLONG_MAX)) {
            typeInvalid(path, *v, "integer");
            return std::nullopt;
        }
        return static_cast<long long>(u);
    }
    if (v->is_number_integer())
        return v->get<long long>();
    typeInvalid(path, *v, "integer");
    return std::nullopt;
}

std::optional<IntOrString> Checks::intOrString(const Json &parent, const char *name,
                                               const std::string &path) {
    const Json *v = member(parent, name);
    if (!v)
        return std::nullopt;
    if (v->is_string())
        return IntOrString{true, 0, v->get<std::string>()};
    if (!v->is_number_integer()) {
        typeInvalid(path, *v, "integer or string");
        return std::nullopt;
    }
    const auto n = int32(parent, name, path);
    if (!n)
        return std::nullopt;
    return IntOrString{false, *n, {}};
}

const Json *Checks::stringMap(const Json &parent, const char *name, const std::string &path) {
    const Json *map = object(parent, name, path);
    if (!map)
        return nullptr;
    for (const auto &[k, item] : map->items()) {
        if (!item.is_string() && !item.is_null())
            typeInvalid(key(path, k), item, "string");
    }
    return map;
}

const Json *Checks::asObject(const Json &value, const std::string &path) {
    if (value.is_null())
        return nullptr;
    if (!value.is_object()) {
        typeInvalid(path, value, "object");
        return nullptr;
    }
    return &value;
}

const std::string *Checks::asString(const Json &value, const std::string &path) {
    if (value.is_null())
        return nullptr;
    if (!value.is_string()) {
        typeInvalid(path, value, "string");
        return nullptr;
    }
    return &value.get_ref<const std::string &>();
}

void Checks::add(const char *reasonText, const std::string &field, std::string message) {
    m_causes.push_back(FieldCause{reasonText, std::move(message), field});
}

void Checks::invalid(const std::string &field, const Value &value, std::string_view detail) {
    std::string message = "Invalid value: " + value.text();
    if (!detail.empty()) {
        message += ": ";
        message += detail;
    }
    add(reason::Invalid, field, std::move(message));
}

void Checks::required(const std::string &field, std::string_view detail) {
    std::string message = "Required value";
    if (!detail.empty()) {
        message += ": ";
        message += detail;
    }
    add(reason::Required, field, std::move(message));
}

void Checks::notSupported(const std::string &field, const Value &value,
                          std::initializer_list<std::string_view> supported) {
    std::string message = "Unsupported value: " + value.text();
    if (supported.size() > 0) {
        message += ": supported values: ";
        bool first = true;
        for (std::string_view s : supported) {
            if (!first)
                message += ", ";
            first = false;
            message += goQuote(s);
        }
    }
    add(reason::NotSupported, field, std::move(message));
}

void Checks::forbidden(const std::string &field, std::string_view detail) {
    std::string message = "Forbidden";
    if (!detail.empty()) {
        message += ": ";
        message += detail;
    }
    add(reason::Forbidden, field, std::move(message));
}

void Checks::duplicate(const std::string &field, const Value &value) {
    add(reason::Duplicate, field, "Duplicate value: " + value.text());
}

void Checks::notFound(const std::string &field, const Value &value) {
    add(reason::NotFound, field, "Not found: " + value.text());
}

void Checks::tooLong(const std::string &field, long long maxLength) {
    add(reason::TooLong, field,
        "Too long: may not be more than " + std::to_string(maxLength) + " bytes");
}

void Checks::typeInvalid(const std::string &field, const Json &value,
                         std::string_view expectedType) {
    // The wording of the API server's schema validation (as for custom resources).
    const std::string actual = jsonTypeName(value);
    std::string message = "Invalid value: " + goQuote(actual) + ": " +
                          (field.empty() ? "body" : field + " in body") + " must be of type " +
                          std::string(expectedType) + ": " + goQuote(actual);
    add(reason::TypeInvalid, field, std::move(message));
}

} // namespace kd::manifest::detail
