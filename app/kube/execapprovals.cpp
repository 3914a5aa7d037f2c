#include "kube/execapprovals.h"

#include <nlohmann/json.hpp>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kd::kube {

namespace {

bool looksSecret(const QString &name) {
    const QString upper = name.toUpper();
    for (const char *word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL"})
        if (upper.contains(QLatin1String(word)))
            return true;
    return false;
}

QString absoluteCommand(const ExecConfig &exec) {
    return exec.resolvedCommand.isEmpty() ? QString()
                                          : QFileInfo(exec.resolvedCommand).absoluteFilePath();
}

// Writes via a 0600 temporary file and rename, so the file is never world-readable or torn.
std::optional<Error> writePrivate(const QString &path, const QByteArray &content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QByteArray target = QFile::encodeName(path);
    const QByteArray tmp = target + ".tmp." + QByteArray::number(::getpid());
    int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorKind::Config,
                         QStringLiteral("cannot write %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    ::fchmod(fd, 0600);
    qsizetype done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.constData() + done, std::size_t(content.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.constData());
            return makeError(ErrorKind::Config,
                             QStringLiteral("cannot write %1: %2")
                                 .arg(path, QString::fromLocal8Bit(std::strerror(err))));
        }
        done += n;
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(tmp.constData(), target.constData()) != 0) {
        const int err = errno;
        ::unlink(tmp.constData());
        return makeError(ErrorKind::Config,
                         QStringLiteral("cannot write %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(err))));
    }
    return std::nullopt;
}

} // namespace

QString ExecDescription::text() const {
    QString out = warning + u'\n';
    out += QStringLiteral("Command: %1\n").arg(command);
    out += QStringLiteral("Arguments:%1\n")
               .arg(args.isEmpty() ? QStringLiteral(" (none)")
                                   : QStringLiteral("\n  ") + args.join(QStringLiteral("\n  ")));
    out += QStringLiteral("Environment:");
    if (env.isEmpty())
        out += QStringLiteral(" (none)");
    for (const auto &[name, value] : env)
        out += QStringLiteral("\n  %1=%2").arg(name, value);
    out += QStringLiteral("\nWorking directory: %1\n").arg(workingDirectory);
    out += QStringLiteral("SHA-256: %1")
               .arg(sha256.isEmpty() ? QStringLiteral("(unreadable)") : sha256);
    return out;
}

ExecApprovals::ExecApprovals(QString storePath)
    : m_storePath(std::move(storePath)) {
    QMutexLocker lock(&m_mutex);
    loadLocked();
}

void ExecApprovals::setPolicy(Policy policy, QStringList allowlist) {
    QMutexLocker lock(&m_mutex);
    m_policy = policy;
    m_allowlist.clear();
    for (const QString &path : allowlist)
        m_allowlist.append(QDir::cleanPath(path));
}

ExecApprovals::Policy ExecApprovals::policy() const {
    QMutexLocker lock(&m_mutex);
    return m_policy;
}

QString ExecApprovals::defaultStorePath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/exec-approvals.json");
}

QString ExecApprovals::policyName(Policy policy) {
    switch (policy) {
    case Policy::Ask:
        return QStringLiteral("Ask");
    case Policy::AllowAll:
        return QStringLiteral("AllowAll");
    case Policy::DenyAll:
        return QStringLiteral("DenyAll");
    case Policy::Allowlist:
        return QStringLiteral("Allowlist");
    }
    return {};
}

ExecApprovals::Decision ExecApprovals::decide(const ExecConfig &exec) const {
    const QString path = absoluteCommand(exec);
    QMutexLocker lock(&m_mutex);
    switch (m_policy) {
    case Policy::AllowAll:
        return Decision::Approved;
    case Policy::DenyAll:
        return Decision::Denied;
    case Policy::Allowlist:
        return !path.isEmpty() && m_allowlist.contains(QDir::cleanPath(path)) ? Decision::Approved
                                                                              : Decision::Denied;
    case Policy::Ask:
        break;
    }
    if (path.isEmpty())
        return Decision::NeedsApproval;
    auto it = m_approved.find(path);
    if (it == m_approved.end())
        return Decision::NeedsApproval;
    const QString hash = hashOf(path);
    return !hash.isEmpty() && hash == *it ? Decision::Approved : Decision::NeedsApproval;
}

std::optional<Error> ExecApprovals::approve(const ExecConfig &exec) {
    const QString path = absoluteCommand(exec);
    if (path.isEmpty())
        return makeError(ErrorKind::Config, QStringLiteral("cannot approve exec plugin %1: the "
                                                           "executable was not found")
                                                .arg(u'"' + exec.command + u'"'));
    QMutexLocker lock(&m_mutex);
    const QString hash = hashOf(path);
    if (hash.isEmpty())
        return makeError(
            ErrorKind::Config,
            QStringLiteral("cannot approve exec plugin \"%1\": the file cannot be read").arg(path));
    m_approved.insert(path, hash);
    return saveLocked();
}

std::optional<Error> ExecApprovals::revoke(const ExecConfig &exec) {
    const QString path = absoluteCommand(exec);
    QMutexLocker lock(&m_mutex);
    if (m_approved.remove(path) == 0)
        return std::nullopt;
    return saveLocked();
}

ExecDescription ExecApprovals::describe(const ExecConfig &exec) const {
    ExecDescription d;
    const QString path = absoluteCommand(exec);
    d.command = path.isEmpty() ? exec.command : path;
    d.warning = QStringLiteral("This kubeconfig asks Kubedeck to run a program on your computer to "
                               "get credentials; approve it only if you trust it.");
    d.args = exec.args;
    for (const auto &[name, value] : exec.env)
        d.env.append({name, looksSecret(name) ? QStringLiteral("********") : value});
    d.workingDirectory = QDir::currentPath();
    if (!path.isEmpty()) {
        QMutexLocker lock(&m_mutex);
        d.sha256 = hashOf(path);
    }
    return d;
}

QString ExecApprovals::hashOf(const QString &path) const {
    QFileInfo info(path);
    if (!info.isFile())
        return {};
    // Hashing a large plugin binary on every request would be slow; the cache key changes
    // whenever the file is rewritten.
    const QDateTime modified = info.lastModified();
    auto cached = m_hashCache.constFind(path);
    if (cached != m_hashCache.constEnd() && cached->size == info.size() &&
        cached->modified == modified)
        return cached->sha256;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    const QString hex = QString::fromLatin1(hash.result().toHex());
    m_hashCache.insert(path, CachedHash{info.size(), modified, hex});
    return hex;
}

void ExecApprovals::loadLocked() {
    QFile file(m_storePath);
    if (!file.open(QIODevice::ReadOnly))
        return; // nothing approved yet
    const QByteArray data = file.read(4 << 20);
    const nlohmann::json doc =
        nlohmann::json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    if (!doc.is_object() || !doc.contains("approvals") || !doc["approvals"].is_array())
        return; // an unreadable store approves nothing: the user is asked again
    for (const nlohmann::json &a : doc["approvals"]) {
        if (!a.is_object() || !a.value("path", nlohmann::json()).is_string() ||
            !a.value("sha256", nlohmann::json()).is_string())
            continue;
        m_approved.insert(QString::fromStdString(a["path"].get<std::string>()),
                          QString::fromStdString(a["sha256"].get<std::string>()));
    }
}

std::optional<Error> ExecApprovals::saveLocked() const {
    nlohmann::json approvals = nlohmann::json::array();
    QStringList paths = m_approved.keys();
    paths.sort();
    for (const QString &path : paths)
        approvals.push_back(
            {{"path", path.toStdString()}, {"sha256", m_approved[path].toStdString()}});
    const nlohmann::json doc = {{"version", 1}, {"approvals", approvals}};
    return writePrivate(m_storePath, QByteArray::fromStdString(doc.dump(2)));
}

} // namespace kd::kube
