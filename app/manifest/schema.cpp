#include "manifest/schema.h"

#include "manifest/schemadata.h"
#include "manifest/schematext.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace kd::manifest {

namespace {

std::string kindKey(std::string_view apiVersion, std::string_view kind) {
    std::string key;
    key.reserve(apiVersion.size() + 1 + kind.size());
    key.append(apiVersion).append("/").append(kind);
    return key;
}

SchemaSet parseBuiltin() {
    SchemaSet set;
    set.source = "built-in";
    SchemaTextParser parser(set);
    std::string error;
    bool ok = true;
    for (const EmbeddedSchemaText &file : embeddedSchemaTexts()) {
        const std::string fileName = std::string(file.name) + ".kds";
        ok = ok && parser.parse(file.text, fileName, &error);
    }
    ok = ok && parser.finish(&error);
    if (!ok) {
        // The catalogue is compiled in and covered by tests: a broken one is a build defect, and
        // validating against a partial catalogue would report nonsense.
        std::fprintf(stderr, "kubedeck: the built-in schema catalogue is broken: %s\n",
                     error.c_str());
        std::abort();
    }
    return set;
}

} // namespace

const SchemaField *SchemaNode::field(std::string_view fieldName) const {
    const auto it = std::lower_bound(
        fields.begin(), fields.end(), fieldName,
        [](const SchemaField &f, std::string_view wanted) { return f.name < wanted; });
    if (it == fields.end() || it->name != fieldName)
        return nullptr;
    return &*it;
}

std::string GroupVersionKind::apiVersion() const {
    return group.empty() ? version : group + "/" + version;
}

GroupVersionKind GroupVersionKind::fromApiVersion(std::string_view apiVersion,
                                                  std::string_view kind) {
    GroupVersionKind gvk;
    gvk.kind = std::string(kind);
    const std::size_t slash = apiVersion.find('/');
    if (slash == std::string_view::npos) {
        gvk.version = std::string(apiVersion);
    } else {
        gvk.group = std::string(apiVersion.substr(0, slash));
        gvk.version = std::string(apiVersion.substr(slash + 1));
    }
    return gvk;
}

SchemaNode *SchemaSet::newNode() {
    return &m_nodes.emplace_back();
}

void SchemaSet::addKind(const GroupVersionKind &gvk, const SchemaNode *root, bool namespaced) {
    m_kinds[kindKey(gvk.apiVersion(), gvk.kind)] = KindEntry{root, namespaced};
}

const SchemaNode *SchemaSet::find(std::string_view apiVersion, std::string_view kind) const {
    const auto it = m_kinds.find(kindKey(apiVersion, kind));
    return it == m_kinds.end() ? nullptr : it->second.root;
}

bool SchemaSet::isNamespaced(std::string_view apiVersion, std::string_view kind) const {
    const auto it = m_kinds.find(kindKey(apiVersion, kind));
    return it == m_kinds.end() || it->second.namespaced;
}

std::vector<GroupVersionKind> SchemaSet::kinds() const {
    std::vector<GroupVersionKind> result;
    result.reserve(m_kinds.size());
    for (const auto &[key, entry] : m_kinds) {
        // The kind never holds a '/', the apiVersion may.
        const std::size_t slash = key.rfind('/');
        result.push_back(GroupVersionKind::fromApiVersion(std::string_view(key).substr(0, slash),
                                                          std::string_view(key).substr(slash + 1)));
    }
    std::sort(result.begin(), result.end());
    return result;
}

const SchemaSet &builtinSchemas() {
    static const SchemaSet set = parseBuiltin(); // C++ guarantees a thread-safe initialisation
    return set;
}

void SchemaCatalog::add(std::shared_ptr<const SchemaSet> set) {
    if (set)
        m_sources.push_back({std::move(set), nullptr});
}

void SchemaCatalog::addLazy(std::shared_ptr<Lazy> lazy) {
    if (lazy)
        m_sources.push_back({nullptr, std::move(lazy)});
}

const SchemaNode *SchemaCatalog::find(std::string_view apiVersion, std::string_view kind,
                                      std::string *source) const {
    for (const Source &s : m_sources) {
        const SchemaNode *node =
            s.set ? s.set->find(apiVersion, kind) : s.lazy->find(apiVersion, kind);
        if (node) {
            if (source)
                *source = s.set ? s.set->source : s.lazy->sourceName();
            return node;
        }
    }
    return nullptr;
}

void SchemaCatalog::addBuiltin() {
    // An aliasing pointer that owns nothing: the built-in set is never freed.
    add(std::shared_ptr<const SchemaSet>(std::shared_ptr<const SchemaSet>(), &builtinSchemas()));
}

SchemaCatalog SchemaCatalog::builtin() {
    SchemaCatalog catalog;
    catalog.addBuiltin();
    return catalog;
}

} // namespace kd::manifest
