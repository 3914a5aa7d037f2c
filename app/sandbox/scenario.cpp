#include "sandbox/scenario.h"

#include "manifest/yamljson.h"
#include "sandbox/resources.h"
#include "sandbox/scenariodata.h"
#include "sandbox/scenarioscale.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace kd::sandbox {

namespace {

constexpr std::string_view kDirective = "# kubedeck:";
constexpr std::string_view kScalePrefix = "scale:";
constexpr std::uintmax_t kMaxScenarioBytes = 64u * 1024u * 1024u;

struct Problem {
    int line = 0;
    int column = 0;
    std::string message;
};

// One phase's slice of the text, with the line its first character is on.
struct PhaseText {
    std::string_view text;
    int firstLine = 1;
    double warmup = 60;
    bool warmupSet = false;
};

std::string_view trimRight(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string_view trimLeft(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    return s;
}

bool parseSeconds(std::string_view text, double &out) {
    text = trimLeft(text);
    if (text.empty())
        return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out) &&
           out >= 0 && out <= 7 * 24 * 3600;
}

// Splits the text at `# kubedeck:phase` lines and reads each phase's `# kubedeck:warmup N`.
std::vector<PhaseText> splitPhases(std::string_view text, std::vector<Problem> &problems) {
    std::vector<PhaseText> phases{{{}, 1}};
    std::size_t phaseStart = 0, pos = 0;
    int line = 1;
    while (pos <= text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = text.size();
        std::string_view current = trimRight(text.substr(pos, eol - pos));
        if (current.substr(0, kDirective.size()) == kDirective) {
            std::string_view directive = current.substr(kDirective.size());
            if (directive == "phase") {
                phases.back().text = text.substr(phaseStart, pos - phaseStart);
                phaseStart = std::min(eol + 1, text.size());
                phases.push_back({{}, line + 1});
            } else if (directive.substr(0, 6) == "warmup" &&
                       (directive.size() == 6 || directive[6] == ' ' || directive[6] == '\t')) {
                double seconds = 0;
                if (!parseSeconds(directive.substr(6), seconds))
                    problems.push_back(
                        {line, 1,
                         "`# kubedeck:warmup` needs a number of seconds between 0 and "
                         "604800, not \"" +
                             std::string(trimLeft(directive.substr(6))) + "\""});
                else if (phases.back().warmupSet)
                    problems.push_back({line, 1, "a second `# kubedeck:warmup` in the same phase"});
                phases.back().warmup = seconds;
                phases.back().warmupSet = true;
            } else {
                problems.push_back({line, 1,
                                    "unknown directive \"" + std::string(current) +
                                        "\"; known: `# kubedeck:phase`, `# kubedeck:warmup N`"});
            }
        }
        if (eol == text.size())
            break;
        pos = eol + 1;
        ++line;
    }
    phases.back().text = text.substr(std::min(phaseStart, text.size()));
    return phases;
}

std::string servedKindsList() {
    std::vector<std::string> kinds;
    for (const ResourceType &t : allResourceTypes())
        if (std::find(t.verbs.begin(), t.verbs.end(), "list") != t.verbs.end())
            kinds.push_back(t.apiVersion() + " " + t.kind);
    std::ostringstream out;
    for (std::size_t i = 0; i < kinds.size(); ++i)
        out << (i ? ", " : "") << kinds[i];
    return out.str();
}

// Checks one object and fills its namespace; false (with problems) when it cannot be loaded.
bool checkObject(Json &obj, const manifest::YamlDocument &doc, const std::string &pathPrefix,
                 std::vector<Problem> &problems) {
    // The position of the field, or of its nearest parent that the document has.
    auto positionOf = [&](const std::string &path) {
        std::string key =
            manifest::canonicalPath(pathPrefix.empty() ? path : pathPrefix + "." + path);
        while (!key.empty()) {
            if (auto it = doc.keyPositions.find(key); it != doc.keyPositions.end())
                return it->second;
            std::size_t cut = key.find_last_of(".[");
            key = cut == std::string::npos ? std::string() : key.substr(0, cut);
        }
        return doc.start;
    };
    auto report = [&](const std::string &path, std::string message) {
        manifest::Position p = positionOf(path);
        problems.push_back({p.line, p.column, std::move(message)});
        return false;
    };
    if (!obj.is_object())
        return report({}, "a document must be a Kubernetes object (a mapping), not " +
                              std::string(obj.type_name()));
    const Json &apiVersion = at(obj, {"apiVersion"});
    const Json &kind = at(obj, {"kind"});
    if (!apiVersion.is_string() || apiVersion.get<std::string>().empty())
        return report("apiVersion", "missing apiVersion");
    if (!kind.is_string() || kind.get<std::string>().empty())
        return report("kind", "missing kind");
    const ResourceType *type = findKind(apiVersion.get<std::string>(), kind.get<std::string>());
    if (!type) {
        std::string served;
        for (const ResourceType &t : allResourceTypes())
            if (t.kind == kind.get<std::string>())
                served = t.apiVersion();
        if (!served.empty())
            return report("apiVersion", kind.get<std::string>() + " is served as apiVersion " +
                                            served + ", not " + apiVersion.get<std::string>());
        return report("kind", "unknown kind \"" + kind.get<std::string>() + "\" (apiVersion " +
                                  apiVersion.get<std::string>() +
                                  "); the sandbox serves: " + servedKindsList());
    }
    const Json &metadata = at(obj, {"metadata"});
    if (!metadata.is_object())
        return report("metadata",
                      kind.get<std::string>() + " without metadata: missing metadata.name");
    const Json &name = at(metadata, {"name"});
    if (!name.is_string() || name.get<std::string>().empty())
        return report("metadata.name",
                      kind.get<std::string>() + " without a name: missing metadata.name");
    const Json &ns = at(metadata, {"namespace"});
    if (!ns.is_null() && !ns.is_string())
        return report("metadata.namespace", "metadata.namespace must be a string");
    if (type->namespaced && (ns.is_null() || ns.get<std::string>().empty()))
        obj["metadata"]["namespace"] = "default";
    else if (!type->namespaced && !ns.is_null())
        obj["metadata"].erase("namespace"); // as kubectl does for cluster-scoped kinds
    return true;
}

std::string objectKey(const Json &obj) {
    return obj.value("apiVersion", "") + "/" + obj.value("kind", "") + "/" +
           str(obj, {"metadata", "namespace"}) + "/" + nameOf(obj);
}

std::string describe(const Json &obj) {
    std::string ns = str(obj, {"metadata", "namespace"});
    return obj.value("kind", "") + " " + (ns.empty() ? "" : ns + "/") + nameOf(obj);
}

std::string readScenarioFile(const std::string &path) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw std::runtime_error("scenario file " + path + " does not exist");
    if (!std::filesystem::is_regular_file(status))
        throw std::runtime_error("scenario " + path + " is not a regular file");
    auto size = std::filesystem::file_size(path, ec);
    if (ec)
        throw std::runtime_error("cannot read scenario file " + path + ": " + ec.message());
    if (size > kMaxScenarioBytes)
        throw std::runtime_error("scenario file " + path + " is larger than 64 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open scenario file " + path);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (!in)
        throw std::runtime_error("cannot read scenario file " + path);
    return text;
}

} // namespace

std::vector<std::string> builtinScenarioNames() {
    std::vector<std::string> names;
    for (const EmbeddedScenario &s : embeddedScenarios())
        names.emplace_back(s.name);
    std::sort(names.begin(), names.end());
    return names;
}

Scenario parseScenario(std::string_view text, const std::string &source) {
    std::vector<Problem> problems;
    Scenario scenario;
    scenario.name = source;
    std::vector<PhaseText> phases = splitPhases(text, problems);
    std::map<std::string, int> firstLineOf; // object key -> line of its first definition, per phase
    for (const PhaseText &phase : phases) {
        firstLineOf.clear();
        ScenarioPhase out;
        out.warmupSeconds = phase.warmup;
        manifest::YamlParseResult parsed = manifest::parseYaml(phase.text);
        const int offset = phase.firstLine - 1;
        for (const manifest::YamlDiagnostic &d : parsed.diagnostics)
            problems.push_back({d.position.line + offset, d.position.column, d.message});
        for (manifest::YamlDocument &doc : parsed.documents) {
            for (auto &entry : doc.keyPositions)
                entry.second.line += offset;
            doc.start.line += offset;
            if (doc.value.is_null())
                continue;                                      // an empty document
            std::vector<std::pair<Json, std::string>> objects; // object, its path in the document
            if (doc.value.is_object() && doc.value.value("kind", "") == "List" &&
                doc.value.value("apiVersion", "") == "v1") {
                const Json &items = at(doc.value, {"items"});
                if (!items.is_array()) {
                    problems.push_back(
                        {doc.start.line, doc.start.column, "a v1 List needs an items array"});
                    continue;
                }
                for (std::size_t i = 0; i < items.size(); ++i)
                    objects.emplace_back(items[i], manifest::appendIndex("items", i));
            } else {
                objects.emplace_back(std::move(doc.value), std::string());
            }
            for (auto &[obj, path] : objects) {
                if (!checkObject(obj, doc, path, problems))
                    continue;
                auto where =
                    doc.keyPositions.find(manifest::canonicalPath(path.empty() ? "kind" : path));
                int line = where != doc.keyPositions.end() ? where->second.line : doc.start.line;
                auto [it, inserted] = firstLineOf.emplace(objectKey(obj), line);
                if (!inserted) {
                    problems.push_back({line, 1,
                                        describe(obj) +
                                            " is defined twice in one phase (first at line " +
                                            std::to_string(it->second) + ")"});
                    continue;
                }
                out.objects.push_back(std::move(obj));
            }
        }
        scenario.phases.push_back(std::move(out));
    }
    if (!problems.empty()) {
        std::stable_sort(problems.begin(), problems.end(),
                         [](const Problem &a, const Problem &b) { return a.line < b.line; });
        std::string message = "scenario " + source + " has " + std::to_string(problems.size()) +
                              (problems.size() == 1 ? " problem:" : " problems:");
        for (const Problem &p : problems)
            message += "\n" + source + ":" + std::to_string(p.line) + ":" +
                       std::to_string(p.column) + ": " + p.message;
        throw std::runtime_error(message);
    }
    return scenario;
}

Scenario loadScenario(const std::string &nameOrPath) {
    if (std::string_view(nameOrPath).substr(0, kScalePrefix.size()) == kScalePrefix)
        return generateScaleScenario(
            parseScaleSpec(std::string_view(nameOrPath).substr(kScalePrefix.size())));
    for (const EmbeddedScenario &s : embeddedScenarios()) {
        if (s.name == nameOrPath) {
            Scenario scenario = parseScenario(s.text, std::string(s.name) + ".yaml");
            scenario.name = nameOrPath;
            return scenario;
        }
    }
    std::error_code ec;
    bool looksLikePath = nameOrPath.find('/') != std::string::npos ||
                         nameOrPath.ends_with(".yaml") || nameOrPath.ends_with(".yml");
    if (looksLikePath && !std::filesystem::exists(nameOrPath, ec))
        throw std::runtime_error("scenario file " + nameOrPath + " does not exist");
    if (!std::filesystem::exists(nameOrPath, ec)) {
        std::string names;
        for (const std::string &n : builtinScenarioNames())
            names += (names.empty() ? "" : ", ") + n;
        throw std::runtime_error("unknown scenario \"" + nameOrPath +
                                 "\": it is neither a built-in scenario (" + names +
                                 "), a scale:... specification, nor an existing file");
    }
    Scenario scenario = parseScenario(readScenarioFile(nameOrPath), nameOrPath);
    scenario.name = std::filesystem::path(nameOrPath).stem().string();
    return scenario;
}

std::string defaultNamespaceOf(const Scenario &scenario) {
    for (const auto &phase : scenario.phases)
        for (const Json &o : phase.objects)
            if (o.value("kind", "") == "Namespace") {
                std::string name = nameOf(o);
                if (name != "default" && name.rfind("kube-", 0) != 0)
                    return name;
            }
    return "default";
}

} // namespace kd::sandbox
