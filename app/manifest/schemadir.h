#pragma once
// `kubedeck lint --schema-dir D`: JSON schemas in a folder, the way kubeconform lays them out,
// plus CustomResourceDefinition manifests, read when a kind is first looked up.

#include "manifest/schema.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

// Thread-safe: lookups from several threads load each file once.
class SchemaDirectory final : public SchemaCatalog::Lazy {
public:
    explicit SchemaDirectory(std::filesystem::path directory);

    // Tries, in D and with the kind lower-cased, {kind}-{first label of the group}-{version}.json,
    // {kind}-{group}-{version}.json, {kind}-{version}.json (core group only) and
    // {group}/{kind}_{version}.json (the CRDs-catalog layout); then the served versions of the
    // CRD manifests (.yaml, .yml, .json) directly in D. A kind, group or version that is no
    // Kubernetes name (a `/`, `..`, ...) is not looked up at all, so no lookup leaves D.
    const SchemaNode *find(std::string_view apiVersion, std::string_view kind) override;
    std::string sourceName() const override; // "--schema-dir D"

    // Why a lookup found nothing although something was there, e.g. "schema file D/x.json is
    // not valid JSON: ..."; nullopt when there is no such problem (or no lookup yet).
    std::optional<std::string> error(std::string_view apiVersion, std::string_view kind) const;
    // The file a found schema came from.
    std::optional<std::string> fileOf(std::string_view apiVersion, std::string_view kind) const;
    // CRDs say whether their kinds are namespaced; schema files do not (nullopt).
    std::optional<bool> isNamespaced(std::string_view apiVersion, std::string_view kind) const;
    // Manifests in D that could not be read as CRDs although they looked like ones; D is read
    // for manifests when a lookup first finds no schema file.
    std::vector<std::string> manifestErrors() const;

    const std::filesystem::path &directory() const { return m_directory; }

    // Files larger than this are not read.
    static constexpr std::uintmax_t maxFileBytes = 64u * 1024u * 1024u;

private:
    struct Entry {
        const SchemaNode *node = nullptr;
        std::string file;
        std::string error;
        std::optional<bool> namespaced;
    };
    Entry load(const GroupVersionKind &gvk);
    void scanManifests();
    void addManifest(const std::filesystem::path &file, const std::string &text);
    const Entry *entry(std::string_view apiVersion, std::string_view kind) const;

    const std::filesystem::path m_directory;
    mutable std::mutex m_mutex;
    std::map<std::string, Entry, std::less<>> m_entries; // "apiVersion/kind", misses too
    std::vector<std::shared_ptr<SchemaSet>> m_sets;      // owners of the nodes handed out
    bool m_scanned = false;
    std::map<std::string, Entry, std::less<>> m_crdKinds;
    std::vector<std::string> m_manifestErrors;
};

} // namespace kd::manifest
