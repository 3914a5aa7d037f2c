#pragma once
// Validation as the user types: the YAML editor's text is linted off the GUI thread a moment
// after the last keystroke, against the built-in schema catalogue and, when connected, the
// cluster's own schemas. Every run carries a generation; a result for text that has changed
// since is dropped, and at most one run is in flight (a newer text waits for it and goes next).

#include "manifest/finding.h"
#include "manifest/schema.h"
#include "widgets/diagnostic.h"

#include <QObject>
#include <QString>

#include <memory>
#include <string_view>
#include <vector>

class QTimer;

namespace kd::ui {

// One finished validation.
struct EditorValidation {
    quint64 generation = 0;
    QString text; // the text that was linted
    std::vector<manifest::Finding> findings;
    widgets::DiagnosticList diagnostics; // one per finding, same order
};

// A finding as the editor shows it: UTF-16 columns of `text` (findings count bytes), the rule
// ID as the code, and a hint when a quick fix exists.
widgets::Diagnostic diagnosticFor(const manifest::Finding &finding, std::string_view text);

class EditorValidator final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditorValidator)

public:
    static constexpr int kDebounceMs = 250;

    explicit EditorValidator(QObject *parent = nullptr);
    ~EditorValidator() override;

    // Validates `text` once the user pauses (kDebounceMs), or right away.
    void schedule(const QString &text);
    void validateNow(const QString &text);
    // Forgets pending work: results of runs in flight are dropped.
    void cancel();

    // Schemas for lint and completion: the cluster's (null: none) ahead of the built-in ones.
    // Revalidates the last text.
    void setClusterSchemas(std::shared_ptr<const manifest::SchemaSet> schemas);
    std::shared_ptr<const manifest::SchemaCatalog> catalog() const { return m_catalog; }
    QString schemaSource() const;

    // The generation of the newest text handed in; a result is current when it carries this.
    quint64 generation() const { return m_generation; }
    // True while a text waits for the debounce or a run is in flight.
    bool isBusy() const;
    const EditorValidation &latest() const { return m_latest; }

signals:
    void validated(const kd::ui::EditorValidation &result);
    void busyChanged(bool busy);

private:
    void startRun();

    QTimer *m_debounce;
    std::shared_ptr<const manifest::SchemaSet> m_cluster;
    std::shared_ptr<const manifest::SchemaCatalog> m_catalog;
    QString m_text;
    quint64 m_generation = 0;
    bool m_running = false; // a run is in flight
    bool m_rerun = false;   // the text changed while it ran
    EditorValidation m_latest;
};

} // namespace kd::ui
