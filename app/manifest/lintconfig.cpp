// .kubedeck-lint.yaml and the kubedeck.io/lint-ignore annotation: which findings a repository or
// an object turns off, and the pool sizes rules may assume.

#include "manifest/lintconfig.h"

#include "manifest/lintrules_util.h"
#include "manifest/rules.h"
#include "manifest/suggest.h"
#include "semantics/quantity.h"

#include <algorithm>
#include <array>
#include <set>

namespace kd::manifest {

namespace {

constexpr std::array<std::string_view, 4> kConfigKeys = {"capacity", "disable", "kubernetesVersion",
                                                         "severity"};
constexpr std::array<std::string_view, 4> kSeverityValues = {"error", "warning", "info", "off"};

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::string withSuggestion(std::string message, const std::string &suggestion) {
    const std::string hint = didYouMean(suggestion);
    return hint.empty() ? message : message + "; " + hint;
}

// The closest value, or else the one the text abbreviates ("warn" -> "warning").
template<typename Range> std::string suggestValue(std::string_view text, const Range &values) {
    std::string best = suggest(text, values);
    for (std::string_view v : values) {
        if (best.empty() && !text.empty() && v.starts_with(text))
            best = std::string(v);
    }
    return best;
}

std::string suggestRule(std::string_view id) {
    Suggester s(id);
    for (const RuleInfo &rule : ruleCatalog())
        s.consider(rule.id);
    return s.best();
}

// Collects every problem of a config file, each with file:line:col.
class ConfigReader {
public:
    ConfigReader(const std::string &path, const YamlDocument &doc)
        : m_path(path)
        , m_doc(doc) {}

    void error(const std::string &fieldPath, bool atValue, const std::string &message) {
        errorAt(positionOf(fieldPath, atValue), message);
    }
    void errorAt(Position p, const std::string &message) { m_errors.push_back({p, message}); }
    bool ok() const { return m_errors.empty(); }
    // One line per problem, in the order they appear in the file.
    std::string joined() {
        std::stable_sort(m_errors.begin(), m_errors.end(), [](const auto &a, const auto &b) {
            return a.first.line < b.first.line ||
                   (a.first.line == b.first.line && a.first.column < b.first.column);
        });
        std::string out;
        for (const auto &[p, message] : m_errors)
            out += (out.empty() ? "" : "\n") + m_path + ":" + std::to_string(p.line) + ":" +
                   std::to_string(p.column) + ": " + message;
        return out;
    }

    // A rule ID the catalogue knows; else an error with a did-you-mean.
    bool checkRule(const std::string &id, const std::string &fieldPath, bool atValue) {
        if (findRule(id) != nullptr)
            return true;
        error(fieldPath, atValue, withSuggestion("unknown rule " + ticked(id), suggestRule(id)));
        return false;
    }

private:
    static std::string ticked(std::string_view s) { return "`" + std::string(s) + "`"; }

    Position positionOf(const std::string &fieldPath, bool atValue) const {
        if (atValue) {
            if (const auto it = m_doc.valuePositions.find(fieldPath);
                it != m_doc.valuePositions.end())
                return it->second;
        }
        const auto it = m_doc.keyPositions.find(fieldPath);
        return it != m_doc.keyPositions.end() ? it->second : m_doc.start;
    }

    const std::string &m_path;
    const YamlDocument &m_doc;
    std::vector<std::pair<Position, std::string>> m_errors;
};

void readDisable(ConfigReader &r, const nlohmann::json &value, LintConfig &config) {
    if (!value.is_array()) {
        r.error("disable", true, "`disable` must be a list of rule IDs");
        return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string path = appendIndex("disable", i);
        if (!value[i].is_string()) {
            r.error(path, true, "`disable` entries must be rule IDs (strings)");
            continue;
        }
        const std::string &id = value[i].get_ref<const std::string &>();
        if (r.checkRule(id, path, true))
            config.disabled.insert(id);
    }
}

void readSeverity(ConfigReader &r, const nlohmann::json &value, LintConfig &config) {
    if (!value.is_object()) {
        r.error("severity", true, "`severity` must map rule IDs to error, warning, info or off");
        return;
    }
    for (const auto &[id, level] : value.items()) {
        const std::string path = appendKey("severity", id);
        const bool known = r.checkRule(id, path, false);
        const std::string *text =
            level.is_string() ? &level.get_ref<const std::string &>() : nullptr;
        // YAML 1.1 reads an unquoted `off` as false.
        if ((text && *text == "off") || (level.is_boolean() && !level.get<bool>())) {
            if (known)
                config.disabled.insert(id);
            continue;
        }
        const auto severity = text ? parseSeverity(*text) : std::nullopt;
        if (!severity) {
            const std::string shown = text ? *text : level.dump();
            r.error(path, true,
                    withSuggestion("severity of `" + id +
                                       "` must be error, warning, info or "
                                       "off, not `" +
                                       shown + "`",
                                   text ? suggestValue(*text, kSeverityValues) : std::string()));
            continue;
        }
        if (known)
            config.severity[id] = *severity;
    }
}

void readCapacity(ConfigReader &r, const nlohmann::json &value, LintConfig &config) {
    if (!value.is_object()) {
        r.error("capacity", true, "`capacity` must map resource names to quantities");
        return;
    }
    for (const auto &[name, quantity] : value.items()) {
        const std::string path = appendKey("capacity", name);
        const bool scalar = quantity.is_string() || quantity.is_number();
        const auto milli = scalar ? semantics::parseMilli(quantity) : std::nullopt;
        if (!milli || *milli < 0) {
            r.error(path, true,
                    "capacity of `" + name +
                        "` must be a non-negative quantity (8, \"500m\", "
                        "\"64Gi\"), not " +
                        quantity.dump());
            continue;
        }
        config.capacity[name] =
            quantity.is_string() ? quantity.get<std::string>() : semantics::formatMilli(*milli);
    }
}

void readVersion(ConfigReader &r, const nlohmann::json &value, LintConfig &config) {
    if (value.is_number()) {
        // YAML reads 1.30 as the number 1.3: the version the user meant is lost.
        r.error("kubernetesVersion", true,
                "`kubernetesVersion` must be a quoted string such as \"1.30\" (unquoted, " +
                    value.dump() + " is read as a number)");
        return;
    }
    const std::string *text = value.is_string() ? &value.get_ref<const std::string &>() : nullptr;
    const std::string_view v = text ? trim(*text) : std::string_view();
    const auto dot = v.find('.');
    const auto digits = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (dot == std::string_view::npos || !digits(v.substr(0, dot)) || !digits(v.substr(dot + 1))) {
        r.error("kubernetesVersion", true,
                "`kubernetesVersion` must look like \"1.30\", not " + value.dump());
        return;
    }
    config.kubernetesVersion = std::string(v);
}

} // namespace

LintConfigResult parseLintConfig(std::string_view text, const std::string &path) {
    const YamlParseResult parsed = parseYaml(text);
    LintConfigResult result;
    if (!parsed.diagnostics.empty()) {
        std::string errors;
        for (const YamlDiagnostic &d : parsed.diagnostics)
            errors += (errors.empty() ? "" : "\n") + path + ":" + std::to_string(d.position.line) +
                      ":" + std::to_string(d.position.column) + ": " + d.message;
        result.error = errors;
        return result;
    }
    std::vector<const YamlDocument *> documents;
    for (const YamlDocument &doc : parsed.documents) {
        if (!doc.value.is_null())
            documents.push_back(&doc);
    }
    if (documents.empty()) {
        result.config = LintConfig{}; // an empty file changes nothing
        return result;
    }
    ConfigReader reader(path, *documents.front());
    if (documents.size() > 1)
        reader.errorAt(documents[1]->start, "a lint config is one YAML document");
    const nlohmann::json &root = documents.front()->value;
    LintConfig config;
    if (!root.is_object()) {
        reader.errorAt(documents.front()->start,
                       "a lint config is a mapping with disable, severity, kubernetesVersion "
                       "and capacity");
    } else {
        for (const auto &[key, value] : root.items()) {
            if (key == "disable")
                readDisable(reader, value, config);
            else if (key == "severity")
                readSeverity(reader, value, config);
            else if (key == "capacity")
                readCapacity(reader, value, config);
            else if (key == "kubernetesVersion")
                readVersion(reader, value, config);
            else
                reader.error(
                    appendKey("", key), false,
                    withSuggestion("unknown key `" + key + "`", suggest(key, kConfigKeys)));
        }
    }
    if (!reader.ok()) {
        result.error = reader.joined();
        return result;
    }
    result.config = std::move(config);
    return result;
}

namespace detail {

std::vector<IgnoreEntry> parseIgnoreList(std::string_view text) {
    std::vector<IgnoreEntry> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view item = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (item.empty())
            continue;
        const auto colon = item.find(':');
        IgnoreEntry entry;
        entry.rule = std::string(trim(item.substr(0, colon)));
        if (colon != std::string_view::npos)
            entry.container = std::string(trim(item.substr(colon + 1)));
        if (!entry.rule.empty())
            out.push_back(std::move(entry));
    }
    return out;
}

namespace {

// The annotation on the object's metadata and, for workloads, on the pod template's: each with
// the path it was read from.
std::vector<std::pair<const std::string *, std::string>>
ignoreAnnotations(const LintObject &object, const PodTemplate *templ) {
    std::vector<std::pair<const std::string *, std::string>> out;
    const std::string *own =
        asStr(at(object.value, {"metadata", "annotations", kLintIgnoreAnnotation}));
    const std::string *forPods =
        templ && object.kind != "Pod"
            ? asStr(at(templ->metadata, {"annotations", kLintIgnoreAnnotation}))
            : nullptr;
    if (own == nullptr && forPods == nullptr)
        return out;
    const std::string annotationPath = appendKey("annotations", kLintIgnoreAnnotation);
    if (own)
        out.emplace_back(own, "metadata." + annotationPath);
    if (forPods)
        out.emplace_back(forPods, std::string(templ->metadataPath) + "." + annotationPath);
    return out;
}

} // namespace

bool silencedByAnnotation(const LintObject &object, std::string_view ruleId,
                          std::string_view container) {
    if (object.value == nullptr || !object.value->is_object())
        return false;
    const auto templ = podTemplate(object);
    for (const auto &[text, path] : ignoreAnnotations(object, templ ? &*templ : nullptr)) {
        (void)path;
        for (const IgnoreEntry &entry : parseIgnoreList(*text)) {
            if (entry.rule == ruleId && (entry.container.empty() || entry.container == container))
                return true;
        }
    }
    return false;
}

void checkIgnoreAnnotations(const LintObject &object, const PodTemplate *templ,
                            const std::vector<ContainerRef> &containerRefs, FindingSink &sink) {
    const auto annotations = ignoreAnnotations(object, templ);
    if (annotations.empty())
        return;
    std::set<std::string, std::less<>> containers;
    for (const ContainerRef &c : containerRefs)
        containers.insert(c.name);
    for (const auto &[text, path] : annotations) {
        for (const IgnoreEntry &entry : parseIgnoreList(*text)) {
            if (findRule(entry.rule) == nullptr) {
                sink.reportValue(object, "lint-ignore-unknown", path,
                                 withSuggestion(std::string(kLintIgnoreAnnotation) +
                                                    " names unknown rule " + ticked(entry.rule),
                                                suggestRule(entry.rule)),
                                 {});
            } else if (!entry.container.empty() && !containers.count(entry.container)) {
                Suggester s(entry.container);
                for (const std::string &c : containers)
                    s.consider(c);
                sink.reportValue(object, "lint-ignore-unknown", path,
                                 withSuggestion(std::string(kLintIgnoreAnnotation) +
                                                    " names container " + ticked(entry.container) +
                                                    ", which " + object.kind + " " +
                                                    ticked(object.name) + " does not have",
                                                s.best()),
                                 {});
            }
        }
    }
}

} // namespace detail

} // namespace kd::manifest
