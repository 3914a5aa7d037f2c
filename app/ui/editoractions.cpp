#include "ui/editoractions.h"

#include "kube/apiclient.h"
#include "kube/whendone.h"
#include "kube/writeops.h"
#include "manifest/lint.h"
#include "manifest/yamlemit.h"
#include "manifest/yamljson.h"
#include "model/columns.h"
#include "ui/connection.h"

#include <QtConcurrent/QtConcurrentRun>

namespace kd::ui {

namespace {

using Mode = ManifestRun::Mode;

// The buffer split into objects, made off the GUI thread. The objects point into `files`, so a
// Parsed is never copied or moved once made.
struct Parsed {
    std::vector<manifest::LintFile> files;
    std::vector<manifest::LintObject> objects;
    std::vector<kube::Json> bodies; // what is sent, one per object
    QString problem;
};

std::shared_ptr<const Parsed> parseBuffer(const QString &text) {
    auto parsed = std::make_shared<Parsed>();
    parsed->files.push_back(manifest::parseLintFile("editor", text.toStdString()));
    const manifest::YamlParseResult &yaml = parsed->files.front().yaml;
    if (!yaml.diagnostics.empty()) {
        const manifest::YamlDiagnostic &first = yaml.diagnostics.front();
        parsed->problem =
            QObject::tr("The YAML does not parse (line %1: %2). Fix it, then try again.")
                .arg(first.position.line)
                .arg(QString::fromStdString(first.message));
        return parsed;
    }
    parsed->objects = manifest::collectObjects(parsed->files);
    for (const manifest::LintObject &o : parsed->objects)
        parsed->bodies.push_back(o.value ? kube::Json(*o.value) : kube::Json());
    if (parsed->objects.empty())
        parsed->problem = QObject::tr("There is no Kubernetes object in the editor to send.");
    return parsed;
}

// Server-side apply names list items by their merge key (`containers[name="server"].image`);
// the document knows its items by index. Answers the path with such items turned into indexes
// of `object`, and other segments as they were (canonicalPath spells the result).
std::string indexMergeKeys(std::string_view field, const nlohmann::json &object) {
    std::string out;
    const nlohmann::json *at = &object;
    std::size_t i = 0;
    auto step = [&at](const std::string &key) {
        at = at && at->is_object() && at->contains(key) ? &(*at)[key] : nullptr;
    };
    while (i < field.size()) {
        if (field[i] == '.') {
            ++i;
            continue;
        }
        if (field[i] != '[') {
            const std::size_t end = field.find_first_of(".[", i);
            const std::string key(field.substr(i, end == std::string_view::npos ? end : end - i));
            out = manifest::appendKey(out, key);
            step(key);
            i = end == std::string_view::npos ? field.size() : end;
            continue;
        }
        // A bracket: an index, a merge key `k="v"`, or a map key; quotes may hold ']'.
        std::size_t end = i + 1;
        for (bool quoted = false; end < field.size() && (quoted || field[end] != ']'); ++end)
            if (field[end] == '"')
                quoted = !quoted;
        const std::string inside(field.substr(i + 1, end - i - 1));
        i = end + 1;
        const std::size_t eq = inside.find('=');
        if (!inside.empty() && inside.find_first_not_of("0123456789") == std::string::npos) {
            out = manifest::appendIndex(out, std::stoul(inside));
            at = at && at->is_array() && std::stoul(inside) < at->size()
                     ? &(*at)[std::stoul(inside)]
                     : nullptr;
        } else if (eq != std::string::npos && at && at->is_array()) {
            const std::string key = inside.substr(0, eq);
            std::string value = inside.substr(eq + 1);
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            std::optional<std::size_t> found;
            for (std::size_t k = 0; k < at->size() && !found; ++k) {
                const nlohmann::json &item = (*at)[k];
                if (!item.is_object() || !item.contains(key))
                    continue;
                const nlohmann::json &v = item[key];
                if ((v.is_string() && v.get<std::string>() == value) || v.dump() == value)
                    found = k;
            }
            if (!found)
                return out; // the item is not in the text: its list is the nearest place
            out = manifest::appendIndex(out, *found);
            at = &(*at)[*found];
        } else {
            out = manifest::appendKey(out, inside);
            step(inside);
        }
    }
    return out;
}

QString modeWords(Mode mode) {
    return mode == Mode::Apply || mode == Mode::ForceApply ? QString()
                                                           : QObject::tr(" (server dry run)");
}

QString joinYaml(const QStringList &documents) {
    return documents.join(QStringLiteral("---\n"));
}

QString asYaml(const kube::Json &object) {
    // Both sides of a diff go through the same emitter with the same (sorted) key order, so only
    // real differences show.
    return QString::fromStdString(manifest::toYaml(nlohmann::json(object)));
}

} // namespace

struct ManifestRunner::Running {
    ManifestRun run;
    std::shared_ptr<const Parsed> parsed;
    std::size_t index = 0;
    QPointer<kube::ApiClient> client;
    QString defaultNamespace;

    const manifest::LintObject &object() const { return parsed->objects[index]; }
    ManifestOutcome &outcome() { return run.outcomes.back(); }
};

bool ManifestRun::ok() const {
    return problem.isEmpty() &&
           std::none_of(outcomes.begin(), outcomes.end(),
                        [](const ManifestOutcome &o) { return o.error.has_value(); });
}

bool ManifestRun::hasConflicts() const {
    return std::any_of(outcomes.begin(), outcomes.end(),
                       [](const ManifestOutcome &o) { return !o.conflicts.isEmpty(); });
}

std::vector<manifest::Finding> ManifestRun::findings() const {
    std::vector<manifest::Finding> all;
    for (const ManifestOutcome &o : outcomes)
        all.insert(all.end(), o.findings.begin(), o.findings.end());
    return all;
}

QStringList ManifestRun::summary() const {
    if (!problem.isEmpty())
        return {problem};
    QStringList lines;
    for (const ManifestOutcome &o : outcomes) {
        if (o.error)
            lines << QObject::tr("%1: %2").arg(o.name.isEmpty() ? o.object : o.name,
                                               o.error->message);
        else
            lines << o.name + QLatin1Char(' ') + o.verdict + modeWords(mode);
    }
    return lines;
}

kube::Json strippedForEditing(kube::Json object) {
    if (!object.is_object())
        return object;
    object.erase("status");
    if (auto meta = object.find("metadata"); meta != object.end() && meta->is_object())
        for (const char *key : {"managedFields", "resourceVersion", "uid", "creationTimestamp",
                                "generation", "selfLink"})
            meta->erase(key);
    return object;
}

QString kubectlName(const QString &apiVersion, const QString &kind, const QString &name) {
    const QString group = apiVersion.contains(QLatin1Char('/'))
                              ? apiVersion.section(QLatin1Char('/'), 0, 0)
                              : QString();
    return kind.toLower() + (group.isEmpty() ? QString() : QLatin1Char('.') + group) +
           QLatin1Char('/') + name;
}

ManifestRunner::ManifestRunner(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection) {}

ManifestRunner::~ManifestRunner() = default;

kube::ApiClient *ManifestRunner::client() const {
    return m_connection->client();
}

bool ManifestRunner::current(quint64 id) const {
    return m_running && m_running->run.id == id;
}

void ManifestRunner::cancel() {
    m_running.reset();
}

quint64 ManifestRunner::start(ManifestRun::Mode mode, const QString &text) {
    m_running = std::make_unique<Running>();
    m_running->run.id = ++m_lastId;
    m_running->run.mode = mode;
    m_running->run.text = text;
    const quint64 id = m_running->run.id;
    kube::whenDone(this, QtConcurrent::run(parseBuffer, text),
                   [this, id](std::shared_ptr<const Parsed> parsed) {
                       if (!current(id))
                           return;
                       m_running->parsed = std::move(parsed);
                       if (!m_running->parsed->problem.isEmpty())
                           return finishWith(m_running->parsed->problem);
                       if (!client())
                           return finishWith(tr("Not connected to a cluster. Connect, then try "
                                                "again; the text stays as it is."));
                       m_running->client = client();
                       const QString ns = m_connection->namespaceName();
                       m_running->defaultNamespace = ns.isEmpty() ? QStringLiteral("default") : ns;
                       step();
                   });
    return id;
}

void ManifestRunner::finishWith(QString problem) {
    m_running->run.problem = std::move(problem);
    finishRun();
}

void ManifestRunner::step() {
    Running &r = *m_running;
    if (r.index >= r.parsed->objects.size())
        return finishRun();
    if (r.client != client() || !r.client)
        return finishWith(tr("The connection changed while sending; the objects after the "
                             "first %n were not sent.",
                             nullptr, static_cast<int>(r.index)));
    const manifest::LintObject &o = r.object();
    ManifestOutcome outcome;
    outcome.document = o.document;
    outcome.object = QString::fromStdString(o.describe());
    const QString apiVersion = QString::fromStdString(o.apiVersion);
    const QString kind = QString::fromStdString(o.kind);
    outcome.name = kubectlName(apiVersion, kind, QString::fromStdString(o.name));
    r.run.outcomes.push_back(std::move(outcome));
    if (apiVersion.isEmpty() || kind.isEmpty() || o.name.empty()) {
        r.outcome().name = tr("document %1").arg(o.document + 1);
        r.outcome().error = kube::makeError(
            kube::ErrorKind::Invalid,
            tr("it needs apiVersion, kind and metadata.name before it can be sent"));
        return next();
    }
    resolveKind(apiVersion, kind);
}

void ManifestRunner::resolveKind(const QString &apiVersion, const QString &kind) {
    if (m_kindsClient != client()) {
        m_kinds.clear();
        m_kindsClient = client();
    }
    const QString key = apiVersion + QLatin1Char('/') + kind;
    if (auto it = m_kinds.constFind(key); it != m_kinds.constEnd())
        return getLive(*it);
    for (const kube::ResourceKind &k : model::watchedKinds())
        if (k.groupVersion() == apiVersion && k.kind == kind) {
            m_kinds.insert(key, k);
            return getLive(k);
        }
    // Any other kind: ask the cluster which resource serves it.
    const bool core = !apiVersion.contains(QLatin1Char('/'));
    const QString path =
        core ? QStringLiteral("/api/") + apiVersion : QStringLiteral("/apis/") + apiVersion;
    const quint64 id = m_running->run.id;
    kube::whenDone(
        this, client()->get(path),
        [this, id, key, apiVersion, kind](kube::Result<kube::Json> answer) {
            if (!current(id))
                return;
            if (!answer) {
                m_running->outcome().error =
                    answer.error().kind == kube::ErrorKind::NotFound
                        ? kube::makeError(kube::ErrorKind::NotFound,
                                          tr("the cluster does not serve %1").arg(apiVersion))
                        : answer.error();
                return next();
            }
            for (const kube::Json &res : answer->value("resources", kube::Json::array())) {
                const std::string name = res.value("name", "");
                if (res.value("kind", "") != kind.toStdString() ||
                    name.find('/') != std::string::npos)
                    continue;
                kube::ResourceKind k;
                k.group = apiVersion.contains(QLatin1Char('/'))
                              ? apiVersion.section(QLatin1Char('/'), 0, 0)
                              : QString();
                k.version = apiVersion.section(QLatin1Char('/'), -1);
                k.resource = QString::fromStdString(name);
                k.kind = kind;
                k.namespaced = res.value("namespaced", true);
                m_kinds.insert(key, k);
                return getLive(k);
            }
            m_running->outcome().error =
                kube::makeError(kube::ErrorKind::NotFound,
                                tr("the cluster has no kind %1 in %2").arg(kind, apiVersion));
            next();
        });
}

void ManifestRunner::getLive(const kube::ResourceKind &kind) {
    const manifest::LintObject &o = m_running->object();
    const QString ns = !kind.namespaced      ? QString()
                       : o.nameSpace.empty() ? m_running->defaultNamespace
                                             : QString::fromStdString(o.nameSpace);
    const QString path = kube::ApiClient::objectPath(kind, ns, QString::fromStdString(o.name));
    const quint64 id = m_running->run.id;
    kube::whenDone(this, client()->get(path), [this, id, kind](kube::Result<kube::Json> answer) {
        if (!current(id))
            return;
        if (answer)
            m_running->outcome().live = strippedForEditing(std::move(answer.value()));
        else if (answer.error().kind != kube::ErrorKind::NotFound) {
            m_running->outcome().error = answer.error();
            return next();
        }
        applyObject(kind);
    });
}

void ManifestRunner::applyObject(const kube::ResourceKind &kind) {
    const Mode mode = m_running->run.mode;
    kube::ApplyOptions options;
    options.dryRun = mode == Mode::Diff || mode == Mode::DryRun;
    // Diff shows what applying would make of the object, also of fields others manage.
    options.force = mode == Mode::ForceApply || mode == Mode::Diff;
    const quint64 id = m_running->run.id;
    kube::whenDone(
        this,
        kube::apply(*client(), kind, m_running->parsed->bodies[m_running->index], options,
                    m_running->defaultNamespace),
        [this, id](kube::Result<kube::Json> answer) {
            if (!current(id))
                return;
            ManifestOutcome &outcome = m_running->outcome();
            if (answer) {
                outcome.after = strippedForEditing(std::move(answer.value()));
                outcome.verdict = outcome.live.is_null()          ? tr("created")
                                  : outcome.live == outcome.after ? tr("unchanged")
                                                                  : tr("configured");
                return next();
            }
            outcome.error = answer.error();
            // The causes name fields; place each on the line of its field.
            const manifest::LintObject &o = m_running->object();
            const kube::Json causes = answer.error().status.is_object()
                                          ? answer.error()
                                                .status.value("details", kube::Json::object())
                                                .value("causes", kube::Json::array())
                                          : kube::Json::array();
            const bool conflict = answer.error().kind == kube::ErrorKind::Conflict;
            for (const kube::Json &cause : causes) {
                std::string field = cause.value("field", "");
                if (field.starts_with('.'))
                    field.erase(0, 1);
                const std::string message = cause.value("message", "");
                manifest::Finding f;
                f.ruleId = "server";
                f.severity = manifest::Severity::Error;
                f.file = "editor";
                f.document = o.document;
                f.field =
                    manifest::canonicalPath(o.value ? indexMergeKeys(field, *o.value) : field);
                f.position = o.position(f.field);
                f.object = o.describe();
                f.message =
                    field.empty() || message.starts_with(field) ? message : field + ": " + message;
                if (conflict)
                    outcome.conflicts << QString::fromStdString(f.message);
                outcome.findings.push_back(std::move(f));
            }
            if (outcome.findings.empty() && answer.error().kind == kube::ErrorKind::Invalid) {
                manifest::Finding f;
                f.ruleId = "server";
                f.file = "editor";
                f.document = o.document;
                f.position = o.position("");
                f.object = o.describe();
                f.message = answer.error().message.toStdString();
                outcome.findings.push_back(std::move(f));
            }
            next();
        });
}

void ManifestRunner::next() {
    ++m_running->index;
    step();
}

void ManifestRunner::finishRun() {
    std::unique_ptr<Running> done = std::move(m_running);
    if (done->run.mode != Mode::Diff || !done->run.problem.isEmpty()) {
        emit finished(done->run);
        return;
    }
    // Emitting YAML for big objects takes a moment: off the GUI thread.
    auto texts = [run = done->run, parsed = done->parsed]() mutable {
        QStringList live;
        QStringList after;
        for (const ManifestOutcome &o : run.outcomes) {
            live << (o.live.is_null() ? tr("# %1 is not in the cluster\n").arg(o.name)
                                      : asYaml(o.live));
            after
                << (!o.after.is_null()
                        ? asYaml(o.after)
                        : asYaml(strippedForEditing(
                              parsed->bodies[static_cast<std::size_t>(&o - run.outcomes.data())])));
        }
        run.liveText = joinYaml(live);
        run.afterText = joinYaml(after);
        return run;
    };
    const quint64 id = done->run.id;
    kube::whenDone(this, QtConcurrent::run(std::move(texts)), [this, id](ManifestRun run) {
        if (id == m_lastId && !m_running)
            emit finished(run);
    });
}

quint64 ManifestRunner::fetchLive(const kube::ResourceKind &kind, const QString &ns,
                                  const QString &name) {
    const quint64 id = ++m_fetchId;
    const QString title = kubectlName(kind.groupVersion(), kind.kind, name);
    if (!client()) {
        emit liveFetched(id, title, {}, tr("Not connected to a cluster."));
        return id;
    }
    kube::whenDone(this, client()->get(kube::ApiClient::objectPath(kind, ns, name)),
                   [this, id, title](kube::Result<kube::Json> answer) {
                       if (id != m_fetchId)
                           return;
                       if (!answer)
                           return emit liveFetched(id, title, {}, answer.error().message);
                       auto toText = [object = strippedForEditing(std::move(answer.value()))] {
                           return QString::fromStdString(manifest::toYaml(object));
                       };
                       kube::whenDone(this, QtConcurrent::run(std::move(toText)),
                                      [this, id, title](QString yaml) {
                                          if (id == m_fetchId)
                                              emit liveFetched(id, title, yaml, {});
                                      });
                   });
    return id;
}

} // namespace kd::ui
