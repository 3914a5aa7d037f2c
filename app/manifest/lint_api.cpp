// The checks a kube-apiserver makes on create (validateObject, the sandbox's own validator),
// each cause placed at its field.

#include "manifest/lintstages.h"
#include "manifest/validation_checks.h"

#include <charconv>
#include <optional>
#include <unordered_map>

namespace kd::manifest::detail {

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The value at a field path of the object (`spec.selector.matchLabels`, `containers[0]`,
// `limits[nvidia.com/gpu]`), nullptr when there is none.
const Json *resolve(const Json &root, std::string_view path) {
    const Json *at = &root;
    std::size_t i = 0;
    while (i < path.size() && at != nullptr) {
        if (path[i] == '.') {
            ++i;
            continue;
        }
        std::string_view segment;
        bool bracket = path[i] == '[';
        if (bracket) {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos)
                return nullptr;
            segment = path.substr(i + 1, close - i - 1);
            i = close + 1;
        } else {
            const std::size_t end = std::min(path.find_first_of(".[", i), path.size());
            segment = path.substr(i, end - i);
            i = end;
        }
        if (at->is_array() && bracket) {
            std::size_t index = 0;
            const auto [end, ec] =
                std::from_chars(segment.data(), segment.data() + segment.size(), index);
            if (ec != std::errc() || end != segment.data() + segment.size() || index >= at->size())
                return nullptr;
            at = &(*at)[index];
        } else if (at->is_object()) {
            const auto it = at->find(std::string(segment));
            at = it == at->end() ? nullptr : &*it;
        } else {
            return nullptr;
        }
    }
    return at;
}

// The name of the container a cause's field lies in, "" when it lies in none.
std::string containerOf(const Json &object, std::string_view field) {
    for (std::string_view list : {"initContainers[", "ephemeralContainers[", "containers["}) {
        const std::size_t at = field.find(list);
        if (at == std::string_view::npos)
            continue;
        const std::size_t close = field.find(']', at);
        const Json *ctr = resolve(object, field.substr(0, close + 1));
        if (ctr == nullptr || !ctr->is_object())
            return {};
        const auto name = ctr->find("name");
        return name != ctr->end() && name->is_string() ? name->get<std::string>() : std::string();
    }
    return {};
}

// Label and annotation causes name the whole map; the entry they are about is the key or value
// that the message quotes. Each map is indexed once, so a map with thousands of bad entries
// costs one pass, not one per cause.
struct MapEntry {
    std::string path; // `metadata.labels[app]`, "" when no entry matches
    bool value = false;
};

class QuotedEntries final {
public:
    explicit QuotedEntries(const Json &object)
        : m_object(object) {}

    // The entry of the map at `field` that the cause's message quotes.
    MapEntry find(const std::string &field, const FieldCause &cause) {
        constexpr std::string_view prefix = "Invalid value: \"";
        if (cause.message.rfind(prefix, 0) != 0)
            return {};
        const std::string quoted(
            goQuotedPrefix(std::string_view(cause.message).substr(prefix.size() - 1)));
        if (quoted.empty())
            return {};
        const Index *index = indexOf(field);
        if (index == nullptr)
            return {};
        if (const auto it = index->keys.find(quoted); it != index->keys.end())
            return {field + "[" + it->second + "]", false};
        if (const auto it = index->values.find(quoted); it != index->values.end())
            return {field + "[" + it->second + "]", true};
        return {};
    }

private:
    struct Index {
        // goQuote(text) -> the entry's key; the first entry wins.
        std::unordered_map<std::string, std::string> keys;
        std::unordered_map<std::string, std::string> values;
    };

    // The Go-quoted string at the start of text, quotes included; "" when there is none.
    static std::string_view goQuotedPrefix(std::string_view text) {
        for (std::size_t i = 1; i < text.size(); ++i) {
            if (text[i] == '\\')
                ++i;
            else if (text[i] == '"')
                return text.substr(0, i + 1);
        }
        return {};
    }

    const Index *indexOf(const std::string &field) {
        const auto cached = m_indexes.find(field);
        if (cached != m_indexes.end())
            return cached->second ? &*cached->second : nullptr;
        std::optional<Index> index;
        if (const Json *map = resolve(m_object, field); map != nullptr && map->is_object()) {
            index.emplace();
            for (auto it = map->begin(); it != map->end(); ++it) {
                index->keys.emplace(goQuote(it.key()), it.key());
                if (it.value().is_string())
                    index->values.emplace(goQuote(it.value().get_ref<const std::string &>()),
                                          it.key());
            }
        }
        const auto &stored = m_indexes.emplace(field, std::move(index)).first->second;
        return stored ? &*stored : nullptr;
    }

    const Json &m_object;
    std::unordered_map<std::string, std::optional<Index>> m_indexes;
};

// Where a cause's field is written. A pod template's label and annotation causes name
// `spec.template.labels` as upstream does (ObjectMeta is embedded there); the map itself is
// under `spec.template.metadata`.
std::string documentField(const Json &object, const std::string &field) {
    if (!(endsWith(field, ".labels") || endsWith(field, ".annotations")) ||
        resolve(object, field) != nullptr)
        return field;
    const std::size_t dot = field.rfind('.');
    std::string embedded = field.substr(0, dot) + ".metadata" + field.substr(dot);
    return resolve(object, embedded) != nullptr ? embedded : field;
}

bool isLabelMap(std::string_view field) {
    return endsWith(field, "labels") || endsWith(field, "matchLabels") ||
           field == "spec.selector"; // a Service's selector is a plain label map
}

bool isSelectorExpression(std::string_view field) {
    const std::size_t at = field.find("matchExpressions[");
    return at != std::string_view::npos &&
           (endsWith(field, ".key") || field.find(".values[", at) != std::string_view::npos);
}

} // namespace

void checkApiServer(const LintObject &object, FindingSink &sink) {
    if (object.value == nullptr || !object.value->is_object())
        return;
    // A file usually leaves the namespace to kubectl's context.
    const std::vector<FieldCause> causes =
        validateObject(*object.value, ValidationOptions{.requireNamespace = false});
    QuotedEntries entries(*object.value);
    for (const FieldCause &cause : causes) {
        const std::string field = documentField(*object.value, cause.field);
        std::string_view rule = "api-validation";
        MapEntry entry;
        if (cause.reason != reason::TypeInvalid) {
            if (field == "metadata.name" || field == "metadata.generateName" ||
                (field == "metadata.namespace" && cause.reason == reason::Invalid)) {
                rule = "name-invalid";
            } else if (cause.reason == reason::Invalid) {
                entry = entries.find(field, cause);
                if ((!entry.path.empty() && isLabelMap(field)) || isSelectorExpression(field))
                    rule = "label-invalid";
            }
        }
        std::string message =
            cause.field.empty() ? cause.message : cause.field + ": " + cause.message;
        std::string container = containerOf(*object.value, field);
        const bool atKey = cause.reason == reason::Required || cause.reason == reason::Forbidden;
        Finding *finding =
            atKey ? sink.report(object, rule, field, std::move(message), std::move(container))
                  : sink.reportValue(object, rule, field, std::move(message), std::move(container));
        if (finding != nullptr && !entry.path.empty())
            finding->position =
                entry.value ? object.valuePosition(entry.path) : object.position(entry.path);
    }
}

} // namespace kd::manifest::detail
