#include "sandbox/openapi.h"

#include "manifest/openapiexport.h"
#include "sandbox/apierror.h"
#include "sandbox/discovery.h"
#include "sandbox/resources.h"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <stdexcept>

namespace kd::sandbox {

namespace {

constexpr std::string_view kPrefix = "/openapi/v3";

struct Document {
    std::string body;
    std::string hash;
};

struct Documents {
    std::string index;
    std::map<std::string, Document, std::less<>> byPath; // "apis/apps/v1"
};

// kube-openapi's ETag: the SHA-512 of the document, in upper-case hex.
std::string hashOf(const std::string &text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha512(), nullptr) != 1)
        throw std::runtime_error("SHA-512 is not available");
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

const Documents &documents() {
    static const Documents documents = [] {
        manifest::OpenApiExportOptions options;
        options.serverVersion = kServerGitVersion;
        options.resourceOf = [](const manifest::GroupVersionKind &gvk) {
            const ResourceType *type = findKind(gvk.apiVersion(), gvk.kind);
            return type ? type->resource : std::string();
        };
        Documents d;
        std::map<std::string, std::string> hashes;
        for (const auto &[path, document] :
             manifest::exportOpenApiV3(manifest::builtinSchemas(), options)) {
            Document served{document.dump(), {}};
            served.hash = hashOf(served.body);
            hashes[path] = served.hash;
            d.byPath.emplace(path, std::move(served));
        }
        d.index = manifest::openApiV3Index(hashes).dump();
        return d;
    }();
    return documents;
}

// An HTTP date a year from now ("Wed, 25 Nov 2027 03:00:00 GMT"), spelled in English whatever
// the process locale.
std::string expiresInAYear() {
    static constexpr std::array<const char *, 7> days{"Sun", "Mon", "Tue", "Wed",
                                                      "Thu", "Fri", "Sat"};
    static constexpr std::array<const char *, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                               std::chrono::hours(24 * 365));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buffer;
}

} // namespace

bool isOpenApiV3Path(const std::string &path) {
    return path.starts_with(kPrefix) &&
           (path.size() == kPrefix.size() || path[kPrefix.size()] == '/');
}

ApiResponse serveOpenApiV3(const ApiRequest &request) {
    if (request.method != "GET")
        throw ApiError::methodNotAllowed();
    // Only JSON is served; a client that wants protobuf alone gets the upstream 406.
    const std::string &accept = request.accept;
    if (!accept.empty() && accept.find("json") == std::string::npos &&
        accept.find("*/*") == std::string::npos)
        throw ApiError(406, "NotAcceptable",
                       "only the following media types are accepted: application/json");
    const Documents &served = documents();
    std::string_view path = std::string_view(request.path).substr(kPrefix.size());
    while (path.starts_with('/'))
        path.remove_prefix(1);
    ApiResponse r;
    if (path.empty()) {
        r.body = served.index;
        return r;
    }
    const auto document = served.byPath.find(path);
    if (document == served.byPath.end()) {
        r.status = 404;
        r.contentType = "text/plain; charset=utf-8";
        r.body = "404 page not found\n";
        return r;
    }
    r.body = document->second.body;
    r.headers.emplace_back("ETag", "\"" + document->second.hash + "\"");
    // A URL with the current hash names this content for good; any other hash (a client's stale
    // index) still gets the current document, without the promise.
    if (request.param("hash") == document->second.hash) {
        r.headers.emplace_back("Cache-Control", "public, immutable");
        r.headers.emplace_back("Expires", expiresInAYear());
        r.headers.emplace_back("Vary", "Accept");
    }
    return r;
}

} // namespace kd::sandbox
