#include "manifest/schemadir.h"

#include "manifest/jsonschema.h"
#include "manifest/yamljson.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace kd::manifest {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr std::string_view kCrdKind = "CustomResourceDefinition";

std::string kindKey(std::string_view apiVersion, std::string_view kind) {
    return std::string(apiVersion) + "/" + std::string(kind);
}

bool isLower(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Kinds are CamelCase identifiers; versions like v1beta1; groups DNS subdomains. Names outside
// these never reach the file system, so none can climb out of the directory.
bool isKindName(std::string_view s) {
    return !s.empty() && s.size() <= 253 && std::all_of(s.begin(), s.end(), [](char c) {
        return isLower(c) || (c >= 'A' && c <= 'Z');
    });
}

bool isVersionName(std::string_view s) {
    return !s.empty() && s.size() <= 63 && std::all_of(s.begin(), s.end(), isLower);
}

bool isGroupName(std::string_view s) {
    if (s.empty())
        return true;
    if (s.size() > 253 || !isLower(s.front()) || !isLower(s.back()) ||
        s.find("..") != std::string_view::npos)
        return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return isLower(c) || c == '.' || c == '-'; });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

// At most `limit` bytes of a file; nullopt and *problem when it cannot be read or is larger
// than maxBytes.
std::optional<std::string> readFile(const fs::path &path, std::uintmax_t maxBytes,
                                    std::string *problem, std::size_t limit = std::string::npos) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) {
        *problem = "cannot be read: " + ec.message();
        return std::nullopt;
    }
    if (size > maxBytes) {
        *problem = "is larger than " + std::to_string(maxBytes / (1024 * 1024)) + " MiB";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *problem = "cannot be read";
        return std::nullopt;
    }
    std::string text(std::min<std::uintmax_t>(size, limit), '\0');
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(std::size_t(in.gcount()));
    return text;
}

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string jsonMessage(const std::exception &e) {
    std::string message = e.what();
    if (message.starts_with("[json.exception.")) {
        const std::size_t end = message.find("] ");
        if (end != std::string::npos)
            message.erase(0, end + 2);
    }
    return message;
}

} // namespace

SchemaDirectory::SchemaDirectory(fs::path directory)
    : m_directory(std::move(directory)) {}

const SchemaNode *SchemaDirectory::find(std::string_view apiVersion, std::string_view kind) {
    std::lock_guard lock(m_mutex);
    const std::string key = kindKey(apiVersion, kind);
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        it = m_entries.emplace(key, load(GroupVersionKind::fromApiVersion(apiVersion, kind))).first;
    return it->second.node;
}

std::string SchemaDirectory::sourceName() const {
    return "--schema-dir " + m_directory.string();
}

SchemaDirectory::Entry SchemaDirectory::load(const GroupVersionKind &gvk) {
    Entry result;
    if (!isKindName(gvk.kind) || !isGroupName(gvk.group) || !isVersionName(gvk.version)) {
        result.error = "'" + gvk.apiVersion() + " " + gvk.kind +
                       "' is not a Kubernetes apiVersion and kind; no schema file was looked up";
        return result;
    }
    const std::string kind = lower(gvk.kind);
    std::vector<fs::path> candidates;
    if (gvk.group.empty()) {
        candidates.emplace_back(kind + "-" + gvk.version + ".json");
    } else {
        const std::string firstLabel = gvk.group.substr(0, gvk.group.find('.'));
        candidates.emplace_back(kind + "-" + firstLabel + "-" + gvk.version + ".json");
        if (firstLabel != gvk.group)
            candidates.emplace_back(kind + "-" + gvk.group + "-" + gvk.version + ".json");
        candidates.push_back(fs::path(gvk.group) / (kind + "_" + gvk.version + ".json"));
    }
    for (const fs::path &name : candidates) {
        const fs::path path = m_directory / name;
        std::error_code ec;
        if (!fs::is_regular_file(path, ec))
            continue;
        // A broken file is reported unless another candidate (or a CRD) has the kind.
        const auto remember = [&](const std::string &problem) {
            if (result.error.empty())
                result.error = "schema file " + path.string() + " " + problem;
        };
        std::string problem;
        const std::optional<std::string> text = readFile(path, maxFileBytes, &problem);
        if (!text) {
            remember(problem);
            continue;
        }
        Json document;
        try {
            document = Json::parse(*text);
        } catch (const Json::exception &e) {
            remember("is not valid JSON: " + jsonMessage(e));
            continue;
        }
        auto set = std::make_shared<SchemaSet>();
        set->source = sourceName();
        if (const SchemaNode *node = importStandaloneSchema(document, gvk, *set, &problem)) {
            m_sets.push_back(std::move(set));
            return Entry{node, path.string(), {}, std::nullopt};
        }
        remember("is not a usable schema: " + problem);
    }
    scanManifests();
    if (const auto crd = m_crdKinds.find(kindKey(gvk.apiVersion(), gvk.kind));
        crd != m_crdKinds.end())
        return crd->second;
    return result;
}

void SchemaDirectory::scanManifests() {
    if (m_scanned)
        return;
    m_scanned = true;
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string extension = lower(it->path().extension().string());
        std::error_code typeError;
        if ((extension == ".yaml" || extension == ".yml" || extension == ".json") &&
            it->is_regular_file(typeError))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path &file : files) {
        std::string problem;
        // A directory of JSON schemas can hold thousands of large files: a JSON manifest names
        // its kind near the top, so only a file whose first bytes say CRD is read whole.
        const bool json = lower(file.extension().string()) == ".json";
        std::optional<std::string> text =
            readFile(file, maxFileBytes, &problem, json ? 4096 : std::string::npos);
        if (text && text->find(kCrdKind) == std::string::npos)
            continue;
        if (text && json)
            text = readFile(file, maxFileBytes, &problem);
        if (!text) {
            m_manifestErrors.push_back(file.string() + " " + problem);
            continue;
        }
        addManifest(file, *text);
    }
}

void SchemaDirectory::addManifest(const fs::path &file, const std::string &text) {
    std::vector<Json> documents;
    if (lower(file.extension().string()) == ".json") {
        try {
            documents.push_back(Json::parse(text));
        } catch (const Json::exception &e) {
            m_manifestErrors.push_back(file.string() + " is not valid JSON: " + jsonMessage(e));
            return;
        }
    } else {
        YamlParseResult parsed = parseYaml(text);
        for (const YamlDiagnostic &d : parsed.diagnostics)
            m_manifestErrors.push_back(file.string() + ":" + std::to_string(d.position.line) +
                                       ": " + d.message);
        for (YamlDocument &d : parsed.documents)
            documents.push_back(std::move(d.value));
    }
    // `kubectl get crd -o yaml` writes a List.
    std::vector<const Json *> crds;
    for (const Json &d : documents) {
        if (!d.is_object())
            continue;
        const auto items = d.find("items");
        if (d.value("kind", Json()) == "List" && items != d.end() && items->is_array()) {
            for (const Json &item : *items)
                if (item.is_object() && item.value("kind", Json()) == kCrdKind)
                    crds.push_back(&item);
        } else if (d.value("kind", Json()) == kCrdKind) {
            crds.push_back(&d);
        }
    }
    for (const Json *crd : crds) {
        auto set = std::make_shared<SchemaSet>();
        set->source = sourceName();
        std::vector<GroupVersionKind> added;
        std::string problem;
        if (!importCustomResourceDefinition(*crd, *set, &problem, &added)) {
            m_manifestErrors.push_back(file.string() + ": " + problem);
            continue;
        }
        for (const GroupVersionKind &gvk : added) {
            // The first manifest (in file name order) that defines a kind wins.
            m_crdKinds.emplace(kindKey(gvk.apiVersion(), gvk.kind),
                               Entry{set->find(gvk.apiVersion(), gvk.kind),
                                     file.string(),
                                     {},
                                     set->isNamespaced(gvk.apiVersion(), gvk.kind)});
        }
        m_sets.push_back(std::move(set));
    }
}

const SchemaDirectory::Entry *SchemaDirectory::entry(std::string_view apiVersion,
                                                     std::string_view kind) const {
    const auto it = m_entries.find(kindKey(apiVersion, kind));
    return it == m_entries.end() ? nullptr : &it->second;
}

std::optional<std::string> SchemaDirectory::error(std::string_view apiVersion,
                                                  std::string_view kind) const {
    std::lock_guard lock(m_mutex);
    const Entry *e = entry(apiVersion, kind);
    if (!e || e->node || e->error.empty())
        return std::nullopt;
    return e->error;
}

std::optional<std::string> SchemaDirectory::fileOf(std::string_view apiVersion,
                                                   std::string_view kind) const {
    std::lock_guard lock(m_mutex);
    const Entry *e = entry(apiVersion, kind);
    return e && e->node ? std::optional<std::string>(e->file) : std::nullopt;
}

std::optional<bool> SchemaDirectory::isNamespaced(std::string_view apiVersion,
                                                  std::string_view kind) const {
    std::lock_guard lock(m_mutex);
    const Entry *e = entry(apiVersion, kind);
    return e && e->node ? e->namespaced : std::nullopt;
}

std::vector<std::string> SchemaDirectory::manifestErrors() const {
    std::lock_guard lock(m_mutex);
    return m_manifestErrors;
}

} // namespace kd::manifest
