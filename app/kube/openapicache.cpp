#include "kube/openapicache.h"

#include "kube/clientcore.h"
#include "manifest/jsonschema.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QtConcurrent>

#include <algorithm>
#include <map>
#include <optional>

namespace kd::kube {

namespace {

using PathMap = std::map<QString, QString>; // group-version path -> serverRelativeURL

struct Request {
    QFuture<Result<Json>> future;
    std::shared_ptr<QByteArray> raw; // the body as the server sent it
};

Request get(detail::ClientCore &core, const QString &pathAndQuery) {
    auto raw = std::make_shared<QByteArray>();
    return {core.send("GET", pathAndQuery, {}, {}, [raw](const QByteArray &body) { *raw = body; }),
            raw};
}

Result<Json> waitFor(QFuture<Result<Json>> future) {
    // Answers are parsed on kd_kube's own pool and resolved by the transport thread.
    future.waitForFinished();
    if (future.resultCount() == 0)
        return makeError(ErrorKind::Cancelled, QStringLiteral("the request was cancelled"));
    return future.takeResult(); // documents are large: no copy
}

// Failures that end the whole load; any other one skips a single group version.
bool endsTheLoad(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Config:
    case ErrorKind::Credential:
    case ErrorKind::ExecNotApproved:
    case ErrorKind::Unreachable:
    case ErrorKind::Timeout:
    case ErrorKind::Tls:
    case ErrorKind::Unauthorized:
    case ErrorKind::Cancelled:
        return true;
    default:
        return false;
    }
}

// api/VERSION and apis/GROUP/VERSION only: the index also lists discovery and other
// documents without kinds. The check also keeps file names derived from paths in their folder.
bool isGroupVersionPath(const QString &path) {
    static const QRegularExpression pattern(
        QStringLiteral("^(api/[a-z0-9]+|apis/[a-z0-9]([a-z0-9.-]*[a-z0-9])?/[a-z0-9]+)$"));
    return pattern.match(path).hasMatch() && !path.contains(QLatin1String(".."));
}

QString fileNameOf(const QString &path) {
    return QString(path).replace(QLatin1Char('/'), QLatin1Char('_')) + QLatin1String(".json");
}

// The group versions of an index and where to get them; anything else in it is ignored.
PathMap readIndex(const Json &index) {
    PathMap urls;
    const Json paths = index.is_object() ? index.value("paths", Json()) : Json();
    if (!paths.is_object())
        return urls;
    for (const auto &[path, entry] : paths.items()) {
        const QString p = QString::fromStdString(path);
        const Json url = entry.is_object() ? entry.value("serverRelativeURL", Json()) : Json();
        if (!isGroupVersionPath(p) || !url.is_string())
            continue;
        // Relative to the server, so never another host, and for this very path.
        const QString u = QString::fromStdString(url.get<std::string>());
        const QString own = QLatin1String("/openapi/v3/") + p;
        if (u == own || u.startsWith(own + QLatin1Char('?')))
            urls.emplace(p, u);
    }
    return urls;
}

std::optional<Json> readJsonFile(const QString &fileName) {
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray data = file.readAll();
    Json json = Json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return std::nullopt;
    return json;
}

bool writeFile(const QString &fileName, const QByteArray &data) {
    QSaveFile file(fileName);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size() && file.commit();
}

// A folder name for a gitVersion ("v1.30.2+k3s1"); nothing a server sends leaves the folder.
QString versionFolder(const QString &gitVersion) {
    QString name;
    for (QChar c : gitVersion) {
        const bool keep =
            (c.unicode() < 128 && c.isLetterOrNumber()) || c == u'.' || c == u'-' || c == u'+';
        name += keep ? c : QChar(u'_');
    }
    if (name.isEmpty() || name.count(u'.') == name.size())
        name.prepend(u'_');
    return name.left(128);
}

Result<ClusterSchemas> load(const std::shared_ptr<detail::ClientCore> &core,
                            const QString &cacheRoot) {
    Result<Json> version = waitFor(core->send("GET", QStringLiteral("/version")));
    if (!version)
        return version.error();
    const Json gitVersion = version->is_object() ? version->value("gitVersion", Json()) : Json();
    if (!gitVersion.is_string() || gitVersion.get<std::string>().empty())
        return makeError(ErrorKind::Protocol,
                         QStringLiteral("the server's /version names no gitVersion"));
    ClusterSchemas result;
    result.gitVersion = QString::fromStdString(gitVersion.get<std::string>());

    Result<Json> index = waitFor(get(*core, QStringLiteral("/openapi/v3")).future);
    if (!index) {
        Error e = index.error();
        if (e.kind == ErrorKind::NotFound)
            e.message = QStringLiteral(
                "The cluster does not serve OpenAPI v3 (GET /openapi/v3 answered 404); Kubernetes "
                "serves it from version 1.27, and from 1.24 with the OpenAPIV3 feature gate");
        return e;
    }
    const PathMap urls = readIndex(*index);
    if (urls.empty())
        return makeError(ErrorKind::Protocol,
                         QStringLiteral("the cluster's OpenAPI v3 index lists no group versions"));

    const QString dir = openApiCacheDirectory(core->config().server, result.gitVersion, cacheRoot);
    // Without a cache folder the schemas still load, only from the network.
    const bool cacheUsable = QDir().mkpath(dir);
    const QString indexFile = dir + QLatin1String("/index.json");
    std::optional<Json> cachedIndex = cacheUsable ? readJsonFile(indexFile) : std::nullopt;
    const PathMap cached = cachedIndex ? readIndex(*cachedIndex) : PathMap();

    auto set = std::make_shared<manifest::SchemaSet>();
    set->source = "cluster (" + result.gitVersion.toStdString() + ")";
    manifest::JsonSchemaImporter importer(*set);
    PathMap saved; // what the index on disk may promise: documents that are on disk
    const auto add = [&](const QString &path, const Json &document) {
        std::string error;
        if (!importer.importDocument(document, &error))
            result.skipped << path + QLatin1String(": ") + QString::fromStdString(error);
    };

    std::map<QString, Request> requests;
    for (const auto &[path, url] : urls) {
        const auto before = cached.find(path);
        if (before != cached.end() && before->second == url) { // same hash: same document
            if (std::optional<Json> document =
                    readJsonFile(dir + QLatin1Char('/') + fileNameOf(path))) {
                ++result.documentsFromDisk;
                saved.emplace(path, url);
                add(path, *document);
                continue;
            }
        }
        requests.emplace(path, get(*core, url)); // all at once: the transport runs them together
    }
    for (auto &[path, request] : requests) {
        Result<Json> document = waitFor(request.future);
        if (!document) {
            if (endsTheLoad(document.error().kind))
                return document.error();
            result.skipped << path + QLatin1String(": ") + document.error().message;
            continue;
        }
        ++result.documentsFetched;
        if (cacheUsable && !request.raw->isEmpty() &&
            writeFile(dir + QLatin1Char('/') + fileNameOf(path), *request.raw))
            saved.emplace(path, urls.at(path));
        request.raw->clear();
        add(path, *document);
    }

    if (cacheUsable) {
        Json paths = Json::object();
        for (const auto &[path, url] : saved)
            paths[path.toStdString()] = {{"serverRelativeURL", url.toStdString()}};
        writeFile(indexFile, QByteArray::fromStdString(Json{{"paths", paths}}.dump()));
        // Group versions the cluster no longer serves.
        const QStringList files = QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files);
        for (const QString &file : files) {
            const bool current = file == QLatin1String("index.json") ||
                                 std::any_of(saved.begin(), saved.end(), [&](const auto &entry) {
                                     return fileNameOf(entry.first) == file;
                                 });
            if (!current)
                QFile::remove(dir + QLatin1Char('/') + file);
        }
    }
    result.schemas = std::move(set);
    return result;
}

} // namespace

QString openApiCacheDirectory(const QUrl &server, const QString &gitVersion,
                              const QString &cacheRoot) {
    const QString root = cacheRoot.isEmpty()
                             ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                             : cacheRoot;
    // Never the user info of the URL: it may hold a password.
    const QByteArray url =
        server.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash).toUtf8();
    const QString serverKey = QString::fromLatin1(
        QCryptographicHash::hash(url, QCryptographicHash::Sha256).toHex().left(16));
    return root + QLatin1String("/openapi/") + serverKey + QLatin1Char('/') +
           versionFolder(gitVersion);
}

QFuture<Result<ClusterSchemas>> loadClusterSchemas(ApiClient &client, const QString &cacheRoot) {
    std::shared_ptr<detail::ClientCore> core = detail::coreOf(client);
    return QtConcurrent::run([core, cacheRoot] { return load(core, cacheRoot); });
}

} // namespace kd::kube
