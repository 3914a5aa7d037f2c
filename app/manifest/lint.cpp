// The lint pipeline: objects from documents, the stages in order, suppression, de-duplication
// and the reporting order.

#include "manifest/lint.h"

#include "manifest/lintstages.h"
#include "manifest/linttext.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace kd::manifest {

namespace {

const std::string *stringMember(const nlohmann::json &object, const char *name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? &it->get_ref<const std::string &>() : nullptr;
}

std::string stringOr(const nlohmann::json &object, const char *name) {
    const std::string *s = stringMember(object, name);
    return s ? *s : std::string();
}

bool isList(const nlohmann::json &value) {
    const std::string *kind = stringMember(value, "kind");
    return kind && *kind == "List";
}

LintObject makeObject(const LintFile &file, int document, std::string pathPrefix,
                      const nlohmann::json &value) {
    LintObject object;
    object.file = &file;
    object.document = document;
    object.pathPrefix = std::move(pathPrefix);
    object.value = &value;
    object.apiVersion = stringOr(value, "apiVersion");
    object.kind = stringOr(value, "kind");
    if (const auto meta = value.find("metadata"); meta != value.end() && meta->is_object()) {
        object.name = stringOr(*meta, "name");
        if (object.name.empty())
            object.name = stringOr(*meta, "generateName");
        object.nameSpace = stringOr(*meta, "namespace");
    }
    return object;
}

bool isIdentifierChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
}

// True when canonicalPath would return the path unchanged: rules and checks almost always pass
// canonical paths, and re-spelling each one costs more than the lookup it is for.
bool isCanonical(std::string_view path) {
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1)
                return false;
            const std::string_view inner = path.substr(i + 1, close - i - 1);
            const bool numeric = std::all_of(inner.begin(), inner.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
            });
            // A bracketed plain key is spelt with a dot.
            if (!numeric && std::all_of(inner.begin(), inner.end(), isIdentifierChar))
                return false;
            i = close + 1;
            continue;
        }
        if (i > 0) {
            if (path[i] != '.')
                return false;
            ++i;
        }
        const std::size_t start = i;
        while (i < path.size() && isIdentifierChar(path[i]))
            ++i;
        if (i == start || (i < path.size() && path[i] != '.' && path[i] != '['))
            return false;
    }
    return true;
}

// The document path of a field given relative to an object with this prefix, canonical.
std::string documentPath(std::string_view prefix, std::string_view fieldPath) {
    std::string joined(prefix);
    if (!prefix.empty() && !fieldPath.empty() && fieldPath.front() != '[')
        joined += '.';
    joined += fieldPath;
    return isCanonical(joined) ? joined : canonicalPath(joined);
}

// The parent of a canonical path: `a.b[c.d]` -> `a.b`, `a[0].b` -> `a[0]`, `a` -> "".
std::string_view parentPath(std::string_view path) {
    std::size_t cut = 0;
    if (!path.empty() && path.back() == ']') {
        cut = path.rfind('[');
    } else {
        const std::size_t dot = path.find_last_of('.');
        cut = dot == std::string_view::npos ? 0 : dot;
    }
    return path.substr(0, cut == std::string_view::npos ? 0 : cut);
}

const Position *lookup(const FieldPositions &positions, std::string_view path) {
    // contains() and at() find the node without spelling its path, unlike find()'s iterator.
    return positions.contains(path) ? &positions.at(path) : nullptr;
}

// Key, else value, of the path or its nearest ancestor; the document start when none is known.
Position positionIn(const YamlDocument &doc, std::string_view path) {
    while (true) {
        if (const Position *p = lookup(doc.keyPositions, path))
            return *p;
        if (const Position *p = lookup(doc.valuePositions, path))
            return *p;
        if (path.empty())
            return doc.start;
        path = parentPath(path);
    }
}

const YamlDocument *documentOf(const LintObject &object) {
    if (object.file == nullptr || object.document < 0 ||
        static_cast<std::size_t>(object.document) >= object.file->yaml.documents.size())
        return nullptr;
    return &object.file->yaml.documents[static_cast<std::size_t>(object.document)];
}

const SchemaCatalog &builtinCatalog() {
    static const SchemaCatalog catalog = SchemaCatalog::builtin();
    return catalog;
}

bool identified(const LintObject &object) {
    return !object.apiVersion.empty() && !object.kind.empty();
}

bool isApiCheck(std::string_view ruleId) {
    return ruleId == "api-validation" || ruleId == "name-invalid" || ruleId == "label-invalid";
}

// API-server causes repeat what the schema check or a rule already said about the same field in
// their own words (a wrong type, a missing field, a selector that does not match): keep theirs.
// A name or label of the wrong type also reads as missing or malformed to the server.
void dropRepeatedApiFindings(std::vector<Finding> &findings) {
    std::unordered_map<std::string_view, std::vector<std::size_t>> apiByField;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        if (!findings[i].field.empty() && isApiCheck(findings[i].ruleId))
            apiByField[findings[i].field].push_back(i);
    }
    if (apiByField.empty())
        return;
    std::vector<char> drop(findings.size(), 0);
    for (const Finding &f : findings) {
        if (f.field.empty() || isApiCheck(f.ruleId))
            continue;
        const auto it = apiByField.find(f.field);
        if (it == apiByField.end())
            continue;
        for (std::size_t i : it->second) {
            const Finding &api = findings[i];
            if (api.document == f.document && api.file == f.file &&
                (api.ruleId == "api-validation" || f.ruleId == "field-type"))
                drop[i] = 1;
        }
    }
    std::size_t index = 0;
    std::erase_if(findings, [&](const Finding &) { return drop[index++] != 0; });
}

// Sorts without moving the (large) findings around more than once.
void sortFindings(std::vector<Finding> &findings) {
    std::vector<std::size_t> order(findings.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return findingLess(findings[a], findings[b]);
    });
    std::vector<Finding> sorted;
    sorted.reserve(findings.size());
    for (std::size_t i : order)
        sorted.push_back(std::move(findings[i]));
    findings = std::move(sorted);
}

} // namespace

LintFile parseLintFile(std::string path, std::string_view text, const YamlLimits &limits) {
    LintFile file;
    file.path = std::move(path);
    file.yaml = parseYaml(text, limits);
    detail::keepSourceText(file, text, limits);
    return file;
}

std::vector<LintObject> collectObjects(const std::vector<LintFile> &files) {
    std::vector<LintObject> objects;
    for (const LintFile &file : files) {
        const auto &documents = file.yaml.documents;
        for (std::size_t d = 0; d < documents.size(); ++d) {
            const nlohmann::json &value = documents[d].value;
            if (!value.is_object())
                continue; // empty documents are skipped, others reported by checkYamlDiagnostics
            const int index = static_cast<int>(d);
            if (!isList(value)) {
                objects.push_back(makeObject(file, index, {}, value));
                continue;
            }
            const auto items = value.find("items");
            if (items == value.end() || !items->is_array())
                continue;
            for (std::size_t i = 0; i < items->size(); ++i) {
                const nlohmann::json &item = (*items)[i];
                if (item.is_object())
                    objects.push_back(makeObject(file, index, appendIndex("items", i), item));
            }
        }
    }
    return objects;
}

Position LintObject::position(std::string_view fieldPath) const {
    const YamlDocument *doc = documentOf(*this);
    return doc ? positionIn(*doc, documentPath(pathPrefix, fieldPath)) : Position{};
}

Position LintObject::valuePosition(std::string_view fieldPath) const {
    const YamlDocument *doc = documentOf(*this);
    if (doc == nullptr)
        return {};
    const std::string path = documentPath(pathPrefix, fieldPath);
    if (const Position *p = lookup(doc->valuePositions, path))
        return *p;
    return positionIn(*doc, path);
}

bool LintObject::has(std::string_view fieldPath) const {
    const YamlDocument *doc = documentOf(*this);
    return doc != nullptr && doc->keyPositions.contains(documentPath(pathPrefix, fieldPath));
}

std::string LintObject::describe() const {
    std::string out = kind.empty() ? std::string("object") : kind;
    if (name.empty())
        return out;
    out += ' ';
    if (!nameSpace.empty())
        out += nameSpace + '/';
    return out + name;
}

namespace detail {

Finding *FindingSink::report(const LintObject &object, std::string_view ruleId,
                             std::string_view fieldPath, std::string message,
                             std::string container) {
    Finding finding;
    finding.ruleId = std::string(ruleId);
    finding.message = std::move(message);
    finding.field = documentPath(object.pathPrefix, fieldPath);
    if (const YamlDocument *doc = documentOf(object))
        finding.position = positionIn(*doc, finding.field);
    finding.container = std::move(container);
    return add(std::move(finding), &object);
}

Finding *FindingSink::reportValue(const LintObject &object, std::string_view ruleId,
                                  std::string_view fieldPath, std::string message,
                                  std::string container) {
    Finding finding;
    finding.ruleId = std::string(ruleId);
    finding.message = std::move(message);
    finding.field = documentPath(object.pathPrefix, fieldPath);
    if (const YamlDocument *doc = documentOf(object)) {
        const Position *p = lookup(doc->valuePositions, finding.field);
        finding.position = p ? *p : positionIn(*doc, finding.field);
    }
    finding.container = std::move(container);
    return add(std::move(finding), &object);
}

Finding *FindingSink::reportText(const LintFile &file, int document, Position position,
                                 std::string_view ruleId, std::string message) {
    Finding finding;
    finding.ruleId = std::string(ruleId);
    finding.message = std::move(message);
    finding.file = file.path;
    finding.document = document;
    finding.position = position;
    return add(std::move(finding), nullptr);
}

Finding *FindingSink::add(Finding finding, const LintObject *object) {
    if (m_config.disabled.count(finding.ruleId) > 0)
        return nullptr;
    if (object != nullptr && silencedByAnnotation(*object, finding.ruleId, finding.container))
        return nullptr;
    if (const auto it = m_config.severity.find(finding.ruleId); it != m_config.severity.end())
        finding.severity = it->second;
    else if (const RuleInfo *rule = findRule(finding.ruleId))
        finding.severity = rule->severity;
    if (object != nullptr) {
        finding.file = object->file ? object->file->path : std::string();
        finding.document = object->document;
        finding.object = object->describe();
    }
    m_out.push_back(std::move(finding));
    return &m_out.back();
}

} // namespace detail

std::vector<Finding> lint(const std::vector<LintFile> &files, const LintOptions &options) {
    LintOptions effective = options;
    if (effective.kubernetesVersion.empty())
        effective.kubernetesVersion = !options.config.kubernetesVersion.empty()
                                          ? options.config.kubernetesVersion
                                          : std::string(kDefaultKubernetesVersion);
    const SchemaCatalog &schemas = options.schemas ? *options.schemas : builtinCatalog();

    std::vector<Finding> findings;
    detail::FindingSink sink(findings, effective.config);
    for (const LintFile &file : files)
        detail::checkYamlDiagnostics(file, sink);

    std::vector<LintObject> objects = collectObjects(files);
    for (const LintObject &object : objects) {
        detail::checkSchema(object, schemas, effective, sink);
        // Without apiVersion and kind nothing says what the object is: checkSchema said so.
        if (!identified(object))
            continue;
        if (effective.apiServerChecks)
            detail::checkApiServer(object, sink);
        detail::checkObjectRules(object, effective, sink);
    }
    std::erase_if(objects, [](const LintObject &object) { return !identified(object); });
    detail::checkCrossRules(objects, effective, sink);

    dropRepeatedApiFindings(findings);
    sortFindings(findings);
    return findings;
}

std::vector<Finding> lintText(std::string_view text, const std::string &path,
                              const LintOptions &options) {
    std::vector<LintFile> files;
    files.push_back(parseLintFile(path, text));
    return lint(files, options);
}

bool failsAt(const Finding &finding, bool strict) {
    return finding.severity == Severity::Error || (strict && finding.severity == Severity::Warning);
}

} // namespace kd::manifest
