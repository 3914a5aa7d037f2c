// The structural check of one object against its SchemaNode tree. Every problem is reported,
// not just the first, each at its own key or value.

#include "manifest/lintschemawalk.h"

#include "manifest/linttext.h"
#include "manifest/suggest.h"

#include "semantics/quantity.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace kd::manifest::detail {

namespace {

using nlohmann::json;

constexpr std::size_t kQuotedValueLimit = 40;

// Keys that are plain identifiers join with '.', others go in brackets; canonicalPath reads both.
bool isPlainKey(std::string_view key) {
    if (key.empty())
        return false;
    for (char c : key) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '$')
            return false;
    }
    return true;
}

std::string describeValue(const json &value) {
    switch (value.type()) {
    case json::value_t::string: {
        const auto &s = value.get_ref<const std::string &>();
        if (s.size() <= kQuotedValueLimit)
            return "the string " + json(s).dump();
        return "a string of " + std::to_string(s.size()) + " characters";
    }
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "the integer " + value.dump();
    case json::value_t::number_float:
        return "the number " + value.dump();
    case json::value_t::boolean:
        return "the boolean " + value.dump();
    case json::value_t::object:
        return "a mapping";
    case json::value_t::array:
        return "a list";
    default:
        return "null";
    }
}

std::string_view expectedName(const SchemaNode &node) {
    switch (node.type) {
    case SchemaType::Object:
    case SchemaType::Map:
        return "a mapping";
    case SchemaType::Array:
        return "a list";
    case SchemaType::String:
        return "a string";
    case SchemaType::Integer:
        return "an integer";
    case SchemaType::Number:
        return "a number";
    case SchemaType::Boolean:
        return "a boolean (true or false)";
    case SchemaType::IntOrString:
        return "an integer or a string";
    case SchemaType::Quantity:
        return "a quantity (such as 500m, 2 or 1.5Gi)";
    case SchemaType::Any:
        break;
    }
    return "any value";
}

bool isInteger(const json &value) {
    return value.is_number_integer() || value.is_number_unsigned();
}

// The range of an integer field's format; int64 unless it says int32.
bool integerInRange(const json &value, std::string_view format) {
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>() <=
               static_cast<std::uint64_t>(format == "int32"
                                              ? std::numeric_limits<std::int32_t>::max()
                                              : std::numeric_limits<std::int64_t>::max());
    const auto v = value.get<std::int64_t>();
    return format != "int32" || (v >= std::numeric_limits<std::int32_t>::min() &&
                                 v <= std::numeric_limits<std::int32_t>::max());
}

bool isBase64(std::string_view s) {
    std::size_t count = 0;
    std::size_t padding = 0;
    for (char c : s) {
        if (c == '\n' || c == '\r')
            continue; // Go's decoder skips line breaks
        if (c == '=') {
            ++padding;
        } else if (padding > 0 ||
                   !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
            return false;
        }
        ++count;
    }
    return count % 4 == 0 && padding <= 2;
}

std::string lowerCopy(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class Walker final {
public:
    Walker(const LintObject &object, FindingSink &sink)
        : m_object(object)
        , m_sink(sink) {}

    void walk(const json &value, const SchemaNode *node, bool root = false) {
        if (node == nullptr || node->type == SchemaType::Any || value.is_null())
            return; // null means "not set" to the API server
        switch (node->type) {
        case SchemaType::Object:
            if (!value.is_object())
                return typeError(value, *node);
            return walkObject(value, *node, root);
        case SchemaType::Map:
            if (!value.is_object())
                return typeError(value, *node);
            for (auto it = value.begin(); it != value.end(); ++it) {
                const std::size_t mark = pushKey(it.key());
                walk(it.value(), node->element);
                m_path.resize(mark);
            }
            return;
        case SchemaType::Array:
            if (!value.is_array())
                return typeError(value, *node);
            for (std::size_t i = 0; i < value.size(); ++i) {
                const std::size_t mark = m_path.size();
                m_path += '[' + std::to_string(i) + ']';
                walk(value[i], node->element);
                m_path.resize(mark);
            }
            return;
        case SchemaType::String:
            return checkString(value, *node);
        case SchemaType::Integer:
            if (!isInteger(value))
                return typeError(value, *node);
            if (!integerInRange(value, node->format))
                m_sink.reportValue(m_object, "field-type", m_path,
                                   value.dump() + " is out of range for " +
                                       (node->format == "int32" ? "a 32-bit" : "a 64-bit") +
                                       " integer");
            return;
        case SchemaType::Number:
            if (!value.is_number())
                return typeError(value, *node);
            return;
        case SchemaType::Boolean:
            if (!value.is_boolean())
                return typeError(value, *node);
            return;
        case SchemaType::IntOrString:
            if (value.is_string())
                return;
            if (!isInteger(value))
                return typeError(value, *node);
            if (!integerInRange(value, "int32"))
                m_sink.reportValue(m_object, "field-type", m_path,
                                   value.dump() + " is out of range for a 32-bit integer");
            return;
        case SchemaType::Quantity:
            return checkQuantity(value, *node);
        case SchemaType::Any:
            return;
        }
    }

private:
    std::size_t pushKey(std::string_view key) {
        const std::size_t mark = m_path.size();
        if (isPlainKey(key)) {
            if (!m_path.empty())
                m_path += '.';
            m_path += key;
        } else {
            m_path += '[';
            m_path += key;
            m_path += ']';
        }
        return mark;
    }

    std::string typeName(const SchemaNode &node) const {
        return node.name.empty() ? std::string() : " (" + node.name + ")";
    }

    void walkObject(const json &value, const SchemaNode &node, bool root) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string &key = it.key();
            const SchemaField *field = node.field(key);
            const std::size_t mark = pushKey(key);
            if (field != nullptr)
                walk(it.value(), field->node);
            else if (!node.preserveUnknownFields &&
                     !(root && (key == "apiVersion" || key == "kind")))
                unknownField(value, node, key);
            m_path.resize(mark);
        }
        for (const SchemaField &field : node.fields) {
            if (!field.required)
                continue;
            const auto it = value.find(field.name);
            if (it != value.end() && !it->is_null())
                continue;
            const std::size_t mark = pushKey(field.name);
            m_sink.report(m_object, "field-required", m_path,
                          (it == value.end() ? "missing required field `" + field.name + "`"
                                             : "required field `" + field.name + "` has no value") +
                              typeName(node));
            m_path.resize(mark);
        }
    }

    void unknownField(const json &parent, const SchemaNode &node, const std::string &key) {
        Suggester suggester(key);
        for (const SchemaField &f : node.fields) {
            if (!parent.contains(f.name)) // renaming onto a present field would duplicate it
                suggester.consider(f.name);
        }
        const std::string &better = suggester.best();
        std::string message = "unknown field `" + key + "`";
        if (!node.name.empty())
            message += " in " + node.name;
        if (!better.empty())
            message += "; " + didYouMean(better);
        Finding *finding = m_sink.report(m_object, "field-unknown", m_path, std::move(message));
        if (finding == nullptr || better.empty() || m_object.file == nullptr)
            return;
        if (auto edit = replaceScalar(*m_object.file, finding->position, key, better))
            finding->fixes.push_back({"Rename `" + key + "` to `" + better + "`", {*edit}});
    }

    void checkString(const json &value, const SchemaNode &node) {
        if (!value.is_string())
            return typeError(value, node);
        const auto &s = value.get_ref<const std::string &>();
        if (node.format == "byte" && !isBase64(s)) {
            m_sink.reportValue(m_object, "field-type", m_path,
                               "expected base64-encoded data, got " + describeValue(value) +
                                   " (put plain text under stringData instead)");
            return;
        }
        if (node.enumValues.empty())
            return;
        for (const std::string &allowed : node.enumValues) {
            if (allowed == s)
                return;
        }
        std::string message = "unsupported value " + json(s).dump() + "; expected one of ";
        for (std::size_t i = 0; i < node.enumValues.size(); ++i)
            message += (i > 0 ? ", " : "") + node.enumValues[i];
        const std::string better = suggest(s, node.enumValues);
        if (!better.empty())
            message += "; " + didYouMean(better);
        Finding *finding = m_sink.reportValue(m_object, "field-enum", m_path, std::move(message));
        if (finding == nullptr || better.empty() || m_object.file == nullptr)
            return;
        if (auto edit = replaceScalar(*m_object.file, finding->position, s, better))
            finding->fixes.push_back({"Change to " + better, {*edit}});
    }

    void checkQuantity(const json &value, const SchemaNode &node) {
        if (value.is_number())
            return;
        if (!value.is_string())
            return typeError(value, node);
        const auto &s = value.get_ref<const std::string &>();
        if (semantics::parseMilli(std::string_view(s)))
            return;
        const std::vector<std::string> better = quantitySuggestions(s);
        std::string message = json(s).dump() + " is not a valid quantity";
        if (better.empty()) {
            message += " (a number with an optional suffix, such as 500m, 2 or 1.5Gi)";
        } else {
            message += "; did you mean `" + better.front() + "`";
            for (std::size_t i = 1; i < better.size(); ++i)
                message += " or `" + better[i] + "`";
            message += "?";
        }
        Finding *finding =
            m_sink.reportValue(m_object, "field-quantity", m_path, std::move(message));
        if (finding == nullptr || m_object.file == nullptr)
            return;
        for (const std::string &q : better) {
            if (auto edit = replaceScalar(*m_object.file, finding->position, s, q))
                finding->fixes.push_back({"Change to " + q, {*edit}});
        }
    }

    void typeError(const json &value, const SchemaNode &node) {
        std::string message =
            "expected " + std::string(expectedName(node)) + ", got " + describeValue(value);
        std::optional<TextEdit> edit;
        std::string title;
        const Position at = m_object.valuePosition(m_path);
        const bool wantsNumber =
            node.type == SchemaType::Integer || node.type == SchemaType::Number ||
            node.type == SchemaType::IntOrString || node.type == SchemaType::Quantity;
        if (value.is_string() && (wantsNumber || node.type == SchemaType::Boolean)) {
            const auto &s = value.get_ref<const std::string &>();
            const json plain = resolvePlainScalar(s);
            const bool fits =
                node.type == SchemaType::Boolean
                    ? plain.is_boolean()
                    : (node.type == SchemaType::Number ? plain.is_number() : isInteger(plain));
            if (fits) {
                message += "; remove the quotes";
                title = "Remove the quotes";
                if (m_object.file != nullptr)
                    edit = unquoteScalar(*m_object.file, at, s);
            }
        } else if (node.type == SchemaType::String && (value.is_number() || value.is_boolean())) {
            message += "; put it in quotes (YAML reads it as a " +
                       std::string(value.is_boolean() ? "boolean" : "number") + ")";
            title = "Put the value in quotes";
            if (m_object.file != nullptr)
                edit = quotePlainScalar(*m_object.file, at, value);
        } else if (node.type == SchemaType::Array && value.is_object()) {
            message += "; start each item with `- `";
        }
        Finding *finding = m_sink.reportValue(m_object, "field-type", m_path, std::move(message));
        if (finding != nullptr && edit)
            finding->fixes.push_back({title, {*edit}});
    }

    const LintObject &m_object;
    FindingSink &m_sink;
    std::string m_path;
};

} // namespace

void walkSchema(const LintObject &object, const SchemaNode &root, FindingSink &sink) {
    if (object.value == nullptr)
        return;
    Walker(object, sink).walk(*object.value, &root, true);
}

std::vector<std::string> quantitySuggestions(std::string_view text) {
    std::string compact;
    for (char c : text) {
        if (c != ' ' && c != '\t')
            compact += c;
    }
    if (compact.empty())
        return {};
    if (compact != text && semantics::parseMilli(std::string_view(compact)))
        return {compact};
    std::size_t split = 0;
    while (split < compact.size() &&
           (std::isdigit(static_cast<unsigned char>(compact[split])) || compact[split] == '.' ||
            (split == 0 && (compact[split] == '+' || compact[split] == '-'))))
        ++split;
    const std::string number = compact.substr(0, split);
    if (number.empty() || !semantics::parseMilli(std::string_view(number)))
        return {};
    const std::string suffix = lowerCopy(compact.substr(split));
    if (suffix == "b" || suffix == "byte" || suffix == "bytes")
        return {number};
    static constexpr std::string_view letters = "kmgtpe";
    static constexpr std::string_view decimal[] = {"k", "M", "G", "T", "P", "E"};
    static constexpr std::string_view binary[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    if (suffix.empty())
        return {};
    const std::size_t unit = letters.find(suffix[0]);
    if (unit == std::string_view::npos)
        return {};
    const std::string_view rest = std::string_view(suffix).substr(1);
    if (rest == "i" || rest == "ib")
        return {number + std::string(binary[unit])};
    if (rest.empty() || rest == "b")
        return {number + std::string(binary[unit]), number + std::string(decimal[unit])};
    return {};
}

} // namespace kd::manifest::detail
