#pragma once
// The YAML editor tab: manifests from files or from the cluster (the selected object, without
// what the server keeps for itself), validated as you type against the built-in schemas and the
// cluster's, with problems underlined and listed, quick fixes (Ctrl+., the context menu, a click
// on the gutter icon), schema completion, Diff against the live objects, server-side Dry run and
// Apply (a conflict offers Force apply). The text is never lost: errors show in the message bar
// above it, and New / Open / closing ask before unsaved changes go.

#include "kube/kubeobject.h"
#include "manifest/finding.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <utility>

class QAction;
class QLabel;
class QMenu;
class QStackedWidget;
class QTableView;

namespace kd::kube {
class ApiClient;
}
namespace kd::widgets {
class CodeEditor;
class DiagnosticsModel;
class DiffView;
} // namespace kd::widgets

namespace kd::ui {

class Connection;
class EditorMessageBar;
class EditorValidator;
class ManifestRunner;
struct EditorValidation;
struct ManifestRun;

class EditorPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditorPane)

public:
    enum class UnsavedAnswer { Save, Discard, Cancel };
    // Asked before unsaved text would go; `action` says what would replace it ("open a file").
    using UnsavedChangesHandler = std::function<UnsavedAnswer(const QString &action)>;
    // The object selected in the browser: its kind key and the object (null when none).
    using SelectionProvider = std::function<std::pair<QString, kube::ObjectPtr>()>;

    explicit EditorPane(Connection *connection, QWidget *parent = nullptr);
    ~EditorPane() override;

    widgets::CodeEditor *editor() const { return m_editor; }
    widgets::DiagnosticsModel *problems() const { return m_problems; }
    QTableView *problemsView() const { return m_problemsView; }
    widgets::DiffView *diffView() const { return m_diff; }
    bool isDiffShown() const;
    EditorMessageBar *messageBar() const { return m_message; }
    EditorValidator *validator() const { return m_validator; }
    // Every action of the pane, for the window's menu bar.
    QMenu *menu() const { return m_menu; }
    QAction *applyAction() const { return m_apply; }
    QAction *quickFixAction() const { return m_quickFix; }
    QAction *darkThemeAction() const { return m_darkTheme; }

    // "Editor — web.yaml* (3)": the file (or live object), `*` when unsaved, the problem count.
    QString tabTitle() const;
    QString filePath() const { return m_path; }
    bool isModified() const;
    // Lint findings of the current text plus what the server said at the last Dry run / Apply.
    std::vector<manifest::Finding> findings() const;

    // Each asks about unsaved changes first.
    void newDocument();
    void openFile(const QString &path); // reads off the GUI thread; fileLoaded() follows
    void openLiveObject(const QString &kindKey, const kube::ObjectPtr &object);
    void saveFile();                      // Save As when the text has no file yet
    void saveFileAs(const QString &path); // fileSaved() follows

    void showDiff();
    void dryRun();
    void apply(bool force = false);
    void closeDiff();

    // Quick fixes offered on `line` (1-based), as actions titled "Quick fix: <title>"; none while
    // the text differs from what was last checked. The caller owns them (a menu takes them).
    QList<QAction *> quickFixActions(int line);
    bool applyQuickFix(const manifest::QuickFix &fix);

    void setDarkTheme(bool dark); // remembered in the settings
    bool isDarkTheme() const;

    void setUnsavedChangesHandler(UnsavedChangesHandler handler);
    void setSelectionProvider(SelectionProvider provider);
    // For the window's close: true when nothing unsaved would be lost (or the user said so). On
    // Save it saves first, closes the window when that worked, and answers false for now.
    bool okToClose();

signals:
    void tabTitleChanged(const QString &title);
    // The Problems list shows the findings of the current text.
    void validated();
    void fileLoaded(bool ok);
    void fileSaved(bool ok);
    void liveObjectOpened(bool ok);
    void runFinished(const kd::ui::ManifestRun &run);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildUi();
    void buildActions();
    // Runs `proceed` once unsaved text may go: at once, after the user discarded it, or after
    // it was saved; never when the user cancels.
    void whenSafeToReplace(const QString &action, std::function<void()> proceed);
    void writeFile(const QString &path, std::function<void(bool)> done);
    // Reads `path` and shows it unless the user typed meanwhile (no unsaved-changes question).
    void loadFile(const QString &path);
    void replaceText(const QString &text, const QString &path, const QString &liveName);
    void onValidated(const EditorValidation &result);
    void onRunFinished(const ManifestRun &run);
    void showDiagnostics();
    void runOnCluster(int mode);
    // `quiet`: say nothing when the line has no fix (a click on any gutter icon lands here).
    void showQuickFixMenu(int line, const QPoint &globalPos, bool quiet = false);
    void showContextMenu(const QPoint &pos);
    void updateTitle();
    void updateStatus();
    void updateQuickFixAction();
    // Loads the connected cluster's OpenAPI schemas for lint and completion (once per client).
    void loadClusterSchemas();

    Connection *m_connection;
    EditorValidator *m_validator;
    ManifestRunner *m_runner;
    widgets::CodeEditor *m_editor = nullptr;
    widgets::DiagnosticsModel *m_problems = nullptr;
    QTableView *m_problemsView = nullptr;
    QLabel *m_problemsHeader = nullptr;
    widgets::DiffView *m_diff = nullptr;
    QLabel *m_diffSummary = nullptr;
    QStackedWidget *m_stack = nullptr;
    EditorMessageBar *m_message = nullptr;
    QLabel *m_status = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_new = nullptr;
    QAction *m_open = nullptr;
    QAction *m_save = nullptr;
    QAction *m_saveAs = nullptr;
    QAction *m_openLive = nullptr;
    QAction *m_diffAction = nullptr;
    QAction *m_dryRun = nullptr;
    QAction *m_apply = nullptr;
    QAction *m_quickFix = nullptr;
    QAction *m_darkTheme = nullptr;

    QString m_path;     // the file the text came from or was saved to; "" when none
    QString m_liveName; // "deployment.apps/web" when the text came from the cluster
    std::vector<manifest::Finding> m_lintFindings; // of m_lintedText
    QString m_lintedText;
    std::vector<manifest::Finding> m_serverFindings; // of the last Dry run / Apply
    UnsavedChangesHandler m_unsavedHandler;
    SelectionProvider m_selection;
    quint64 m_fileRequest = 0; // a newer open/live request drops the answer of an older one
    bool m_validatedOnce = false;
    QPointer<kube::ApiClient> m_schemaClient; // whose schemas are loaded or loading
    QString m_schemaNote; // why the cluster's schemas are not used, "" when they are
};

} // namespace kd::ui
