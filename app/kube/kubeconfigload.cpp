// Which kubeconfig files are read and how they merge (client-go tools/clientcmd/loader.go).
#include "kube/kubeconfig.h"

#include "manifest/yamljson.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <cstring>

namespace kd::kube {

namespace {

QString fromStd(const std::string &s) {
    return QString::fromStdString(s);
}

// Fields that name files, and resolve against the directory of the file that set them.
bool isPathField(const std::string &kind, const std::string &key) {
    if (kind == "cluster")
        return key == "certificate-authority";
    if (kind == "user")
        return key == "client-certificate" || key == "client-key" || key == "tokenFile";
    return false;
}

QString absoluteAgainst(const QString &dir, const QString &path) {
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir::cleanPath(QDir(dir).absoluteFilePath(path));
}

void makePathsAbsolute(const std::string &kind, nlohmann::json &inner, const QString &dir) {
    for (auto it = inner.begin(); it != inner.end(); ++it) {
        if (isPathField(kind, it.key()) && it->is_string())
            *it = absoluteAgainst(dir, fromStd(it->get<std::string>())).toStdString();
    }
    if (kind == "user" && inner.contains("exec") && inner["exec"].is_object()) {
        nlohmann::json &exec = inner["exec"];
        if (exec.contains("command") && exec["command"].is_string()) {
            // Only a command with a separator is a path; a bare name is looked up on PATH.
            const QString command = fromStd(exec["command"].get<std::string>());
            if (command.contains(u'/'))
                exec["command"] = absoluteAgainst(dir, command).toStdString();
        }
    }
}

int lineOf(const manifest::FieldPositions &positions, const std::string &path) {
    auto it = positions.find(path);
    return it == positions.end() ? 0 : it->second.line;
}

} // namespace

class KubeconfigBuilder final {
public:
    explicit KubeconfigBuilder(Kubeconfig &config)
        : m_config(config) {}

    void warn(const QString &warning) { m_config.m_warnings.append(warning); }

    // Reads and merges one file. Returns the reason when the file cannot be decoded.
    std::optional<QString> addFile(const QString &path) {
        const QString file = QFileInfo(path).absoluteFilePath();
        auto content = readCappedFile(file, kMaxKubeconfigBytes, QStringLiteral("kubeconfig"));
        if (!content)
            return content.error().message;
        const QByteArray &bytes = *content;
        manifest::YamlParseResult parsed =
            manifest::parseYaml(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        for (const auto &d : parsed.diagnostics) {
            const QString where = file + u':' + QString::number(d.position.line);
            switch (d.kind) {
            case manifest::YamlDiagnostic::Kind::DuplicateKey:
                m_config.m_warnings.append(where + QStringLiteral(": ") + fromStd(d.message));
                break;
            case manifest::YamlDiagnostic::Kind::Encoding:
                return file +
                       QStringLiteral(": the file is not UTF-8 text (line %1, column %2: %3); "
                                      "kubeconfig files must be UTF-8")
                           .arg(d.position.line)
                           .arg(d.position.column)
                           .arg(fromStd(d.message));
            case manifest::YamlDiagnostic::Kind::Syntax:
            case manifest::YamlDiagnostic::Kind::Limit:
                return where + QStringLiteral(": not a valid kubeconfig: ") + fromStd(d.message);
            }
        }
        m_config.m_files.append(file);
        if (parsed.documents.empty() || parsed.documents.front().value.is_null())
            return std::nullopt; // an empty file is an empty config
        if (parsed.documents.size() > 1)
            m_config.m_warnings.append(
                file +
                QStringLiteral(": holds more than one YAML document; only the first is used"));
        const manifest::YamlDocument &doc = parsed.documents.front();
        if (!doc.value.is_object()) {
            m_config.m_files.removeLast();
            return file + QStringLiteral(": not a valid kubeconfig: the top level is not a map");
        }
        // Check the whole file before merging any of it: an undecodable file adds nothing.
        for (const char *list : {"clusters", "users", "contexts"}) {
            if (auto problem = checkList(file, doc, list)) {
                m_config.m_files.removeLast();
                return problem;
            }
        }
        mergeList(file, doc, "clusters", "cluster", m_config.m_clusters, m_config.m_clusterIndex);
        mergeList(file, doc, "users", "user", m_config.m_users, m_config.m_userIndex);
        mergeList(file, doc, "contexts", "context", m_config.m_contexts, m_config.m_contextIndex);
        auto cc = doc.value.find("current-context");
        if (cc != doc.value.end() && cc->is_string() && !cc->get<std::string>().empty() &&
            m_config.m_currentContext.isEmpty()) {
            m_config.m_currentContext = fromStd(cc->get<std::string>());
            m_config.m_currentContextSource = file;
        }
        return std::nullopt;
    }

private:
    static std::optional<QString> checkList(const QString &file, const manifest::YamlDocument &doc,
                                            const char *list) {
        auto it = doc.value.find(list);
        if (it == doc.value.end() || it->is_null())
            return std::nullopt;
        const QString name = QString::fromLatin1(list);
        const std::string listPath = manifest::appendKey("", list);
        if (!it->is_array())
            return file + u':' + QString::number(lineOf(doc.keyPositions, listPath)) +
                   QStringLiteral(": not a valid kubeconfig: \"%1\" is not a list").arg(name);
        const std::string inner = std::string(list).substr(0, std::strlen(list) - 1);
        for (std::size_t i = 0; i < it->size(); ++i) {
            const nlohmann::json &item = (*it)[i];
            const QString where =
                file + u':' +
                QString::number(lineOf(doc.keyPositions, manifest::appendIndex(listPath, i)));
            if (!item.is_object())
                return where + QStringLiteral(": not a valid kubeconfig: an item of \"%1\" is not "
                                              "a map")
                                   .arg(name);
            auto value = item.find(inner);
            if (value != item.end() && !value->is_null() && !value->is_object())
                return where + QStringLiteral(": not a valid kubeconfig: \"%1\" is not a map")
                                   .arg(QString::fromStdString(inner));
        }
        return std::nullopt;
    }

    void mergeList(const QString &file, const manifest::YamlDocument &doc, const char *list,
                   const std::string &kind, QList<KubeconfigEntry> &entries,
                   QMap<QString, qsizetype> &index) {
        auto it = doc.value.find(list);
        if (it == doc.value.end() || !it->is_array())
            return;
        const QString dir = QFileInfo(file).absolutePath();
        const std::string listPath = manifest::appendKey("", list);
        QSet<QString> seenHere;
        for (std::size_t i = 0; i < it->size(); ++i) {
            const nlohmann::json &item = (*it)[i];
            const std::string itemPath = manifest::appendIndex(listPath, i);
            const int line = lineOf(doc.keyPositions, itemPath);
            auto name = item.find("name");
            if (name == item.end() || !name->is_string() || name->get<std::string>().empty()) {
                m_config.m_warnings.append(
                    file + u':' + QString::number(line) +
                    QStringLiteral(": an item of \"%1\" has no name and is ignored")
                        .arg(QString::fromLatin1(list)));
                continue;
            }
            const QString entryName = fromStd(name->get<std::string>());
            if (seenHere.contains(entryName)) {
                m_config.m_warnings.append(file + u':' + QString::number(line) +
                                           QStringLiteral(": %1 %2 is defined twice in this file; "
                                                          "the first definition is used")
                                               .arg(fromStd(kind), quoted(entryName)));
                continue;
            }
            seenHere.insert(entryName);
            if (index.contains(entryName))
                continue; // an earlier file defined it: the first definition wins whole
            KubeconfigEntry entry;
            entry.name = entryName;
            entry.sourceFile = file;
            entry.line = line;
            auto value = item.find(kind);
            entry.value =
                value != item.end() && value->is_object() ? *value : nlohmann::json::object();
            const std::string innerPath = manifest::appendKey(itemPath, kind);
            for (auto field = entry.value.begin(); field != entry.value.end(); ++field) {
                const std::string fieldPath = manifest::appendKey(innerPath, field.key());
                entry.fieldLines[field.key()] = lineOf(doc.keyPositions, fieldPath);
                if (field->is_object())
                    for (auto sub = field->begin(); sub != field->end(); ++sub)
                        entry.fieldLines[field.key() + "." + sub.key()] =
                            lineOf(doc.keyPositions, manifest::appendKey(fieldPath, sub.key()));
            }
            makePathsAbsolute(kind, entry.value, dir);
            index.insert(entryName, entries.size());
            entries.append(std::move(entry));
        }
    }

    Kubeconfig &m_config;
};

KubeconfigLoadOptions KubeconfigLoadOptions::fromEnvironment(const QString &explicitPath) {
    KubeconfigLoadOptions options;
    options.explicitPath = explicitPath;
    if (qEnvironmentVariableIsSet("KUBECONFIG"))
        options.kubeconfigEnv = qEnvironmentVariable("KUBECONFIG");
    options.homeDir = QDir::homePath();
    return options;
}

Result<Kubeconfig> loadKubeconfig(const KubeconfigLoadOptions &options) {
    Kubeconfig config;
    KubeconfigBuilder builder(config);
    if (!options.explicitPath.isEmpty()) {
        // An explicitly named file is the only source: missing or broken is an error.
        const QString file = QFileInfo(options.explicitPath).absoluteFilePath();
        if (!QFileInfo(file).isFile())
            return makeError(ErrorKind::Config,
                             QStringLiteral("kubeconfig file %1 does not exist").arg(quoted(file)));
        if (auto problem = builder.addFile(file))
            return makeError(ErrorKind::Config, *problem);
        return config;
    }
    if (options.kubeconfigEnv && !options.kubeconfigEnv->isEmpty()) {
        QStringList files;
        QSet<QString> seen;
        for (const QString &part : options.kubeconfigEnv->split(u':', Qt::SkipEmptyParts)) {
            const QString file = QDir::cleanPath(QFileInfo(part).absoluteFilePath());
            if (seen.contains(file))
                continue;
            seen.insert(file);
            files.append(file);
        }
        int present = 0;
        for (const QString &file : files) {
            if (!QFileInfo(file).isFile())
                continue; // missing entries are skipped silently
            ++present;
            if (auto problem = builder.addFile(file))
                builder.warn(*problem);
        }
        if (present == 0)
            builder.warn(files.isEmpty()
                             ? QStringLiteral("KUBECONFIG names no files")
                             : QStringLiteral("none of the files in KUBECONFIG exist: %1")
                                   .arg(files.join(QStringLiteral(", "))));
        return config;
    }
    const QString file = QDir::cleanPath(options.homeDir + QStringLiteral("/.kube/config"));
    if (!QFileInfo(file).isFile()) {
        builder.warn(QStringLiteral("no kubeconfig: %1 does not exist").arg(file));
        return config;
    }
    if (auto problem = builder.addFile(file))
        builder.warn(*problem);
    return config;
}

} // namespace kd::kube
