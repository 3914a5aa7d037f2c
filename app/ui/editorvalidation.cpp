#include "ui/editorvalidation.h"

#include "kube/whendone.h"
#include "manifest/lint.h"
#include "manifest/textedits.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace kd::ui {

namespace {

widgets::Severity severityFor(manifest::Severity severity) {
    switch (severity) {
    case manifest::Severity::Info:
        return widgets::Severity::Info;
    case manifest::Severity::Warning:
        return widgets::Severity::Warning;
    case manifest::Severity::Error:
        return widgets::Severity::Error;
    }
    return widgets::Severity::Error;
}

std::shared_ptr<const manifest::SchemaCatalog>
makeCatalog(const std::shared_ptr<const manifest::SchemaSet> &cluster) {
    auto catalog = std::make_shared<manifest::SchemaCatalog>();
    if (cluster)
        catalog->add(cluster);
    catalog->addBuiltin();
    return catalog;
}

EditorValidation lintSnapshot(quint64 generation, const QString &text,
                              const std::shared_ptr<const manifest::SchemaCatalog> &catalog) {
    EditorValidation result;
    result.generation = generation;
    result.text = text;
    const std::string utf8 = text.toStdString();
    manifest::LintOptions options;
    options.schemas = catalog.get();
    result.findings = manifest::lintText(utf8, "editor", options);
    result.diagnostics.reserve(static_cast<qsizetype>(result.findings.size()));
    for (const manifest::Finding &f : result.findings)
        result.diagnostics.push_back(diagnosticFor(f, utf8));
    return result;
}

} // namespace

widgets::Diagnostic diagnosticFor(const manifest::Finding &finding, std::string_view text) {
    widgets::Diagnostic d;
    d.line = std::max(finding.position.line, 1);
    d.column = finding.position.line > 0
                   ? manifest::utf16Column(manifest::lineAt(text, d.line), finding.position.column)
                   : 1;
    d.severity = severityFor(finding.severity);
    d.message = QString::fromStdString(finding.message);
    if (!finding.fixes.empty())
        d.message += QObject::tr(" (quick fix: Ctrl+.)");
    d.code = QString::fromStdString(finding.ruleId);
    return d;
}

EditorValidator::EditorValidator(QObject *parent)
    : QObject(parent)
    , m_debounce(new QTimer(this))
    , m_catalog(makeCatalog(nullptr)) {
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &EditorValidator::startRun);
}

EditorValidator::~EditorValidator() = default;

void EditorValidator::schedule(const QString &text) {
    // Restyling the text (themes, highlighting) says "changed" too; the text itself did not.
    if (text == m_text && (isBusy() || m_latest.text == text) && m_latest.generation > 0)
        return;
    const bool wasBusy = isBusy();
    m_text = text;
    ++m_generation;
    m_debounce->start();
    if (!wasBusy)
        emit busyChanged(true);
}

void EditorValidator::validateNow(const QString &text) {
    const bool wasBusy = isBusy();
    m_text = text;
    ++m_generation;
    m_debounce->stop();
    if (!wasBusy)
        emit busyChanged(true);
    startRun();
}

void EditorValidator::cancel() {
    const bool wasBusy = isBusy();
    ++m_generation;
    m_debounce->stop();
    m_rerun = false;
    if (wasBusy && !isBusy())
        emit busyChanged(false);
}

bool EditorValidator::isBusy() const {
    return m_debounce->isActive() || m_running;
}

void EditorValidator::setClusterSchemas(std::shared_ptr<const manifest::SchemaSet> schemas) {
    if (schemas == m_cluster)
        return;
    m_cluster = std::move(schemas);
    m_catalog = makeCatalog(m_cluster);
    validateNow(m_text);
}

QString EditorValidator::schemaSource() const {
    return m_cluster ? QString::fromStdString(m_cluster->source) + tr(" and built-in")
                     : tr("built-in");
}

void EditorValidator::startRun() {
    if (m_running) {
        m_rerun = true; // the newest text goes when the run in flight is done
        return;
    }
    m_running = true;
    m_rerun = false;
    const quint64 generation = m_generation;
    QFuture<EditorValidation> run =
        QtConcurrent::run([generation, text = m_text, catalog = m_catalog] {
            return lintSnapshot(generation, text, catalog);
        });
    kube::whenDone(this, std::move(run), [this](EditorValidation result) {
        m_running = false;
        if (m_rerun || result.generation != m_generation) {
            if (m_rerun && !m_debounce->isActive())
                startRun();
            else if (!isBusy())
                emit busyChanged(false);
            return; // stale: the text changed while it was linted
        }
        m_latest = std::move(result);
        if (!isBusy())
            emit busyChanged(false);
        emit validated(m_latest);
    });
}

} // namespace kd::ui
