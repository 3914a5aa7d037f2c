// The YAML editor tab against the built-in sandbox, offscreen: a bad GPU manifest from a file
// (squiggles and Problems rows on the right lines, the gpu-requests-limits quick fix as one undo
// step), completion, Diff against the live object, Apply (created; a conflict offers Force
// apply), a Dry run the server refuses though lint cannot know (an immutable selector: the
// server's finding lands on the selector's line), the unsaved-changes guard, and errors that
// leave the text as it was.
// Screenshots: editor-problems-light, editor-problems-dark, editor-diff, editor-conflict,
// editor-dry-run-error.
#include "guiwindow.h"
#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "screenshots.h"
#include "ui/connection.h"
#include "ui/editoractions.h"
#include "ui/editormessagebar.h"
#include "ui/editorpane.h"
#include "ui/editorvalidation.h"
#include "ui/mainwindow.h"
#include "ui/objectactions.h"
#include "ui/sandboxhost.h"
#include "widgets/codeeditor.h"
#include "widgets/diagnosticsmodel.h"
#include "widgets/diffview.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

using kd::ui::Connection;
using kd::ui::EditorMessageBar;
using kd::ui::EditorPane;
using kd::ui::MainWindow;
using kd::ui::ManifestRun;
using kd::widgets::CodeEditor;

namespace {

constexpr int kConnectTimeoutMs = 120'000;
constexpr int kRunTimeoutMs = 30'000;

// A GPU model server with three mistakes lint finds: a typo'd field, an image without a real
// tag, and a GPU request without its limit.
const QString kBadManifest = QStringLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm-server
  namespace: ml-serving
spec:
  replicsa: 2
  selector:
    matchLabels:
      app: llm-server
  template:
    metadata:
      labels:
        app: llm-server
    spec:
      containers:
        - name: server
          image: ghcr.io/yourorg/llm-server:latest
          resources:
            requests:
              cpu: "2"
              memory: 8Gi
              nvidia.com/gpu: 1
            limits:
              cpu: "4"
              memory: 16Gi
)");

// A small Deployment the editor creates in the sandbox (so the editor's field manager owns
// every field it sets).
QString demoDeployment(const QString &app) {
    return QStringLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: editor-demo
  namespace: ml-serving
spec:
  replicas: 1
  selector:
    matchLabels:
      app: %1
  template:
    metadata:
      labels:
        app: %1
    spec:
      containers:
        - name: web
          image: nginx:1.27
)")
        .arg(app);
}

// The 1-based line of the first line of `text` that starts with `prefix` (after indentation).
int lineOf(const QString &text, const QString &prefix) {
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].trimmed().startsWith(prefix))
            return i + 1;
    return -1;
}

// Lines (1-based) of the Problems rows whose rule is `code`.
QList<int> problemLines(EditorPane *pane, const QString &code) {
    QList<int> lines;
    for (int row = 0; row < pane->problems()->rowCount(); ++row) {
        const kd::widgets::Diagnostic &d = pane->problems()->diagnostic(row);
        if (d.code == code)
            lines << d.line;
    }
    return lines;
}

// Lines (1-based) the editor underlines as problems (wavy lines).
QSet<int> squiggledLines(CodeEditor *editor) {
    QSet<int> lines;
    for (const QTextEdit::ExtraSelection &s : editor->extraSelections())
        if (s.format.underlineStyle() == QTextCharFormat::SpellCheckUnderline ||
            s.format.underlineStyle() == QTextCharFormat::WaveUnderline)
            lines.insert(s.cursor.block().blockNumber() + 1);
    return lines;
}

int sandboxReplicas(Connection *c, const std::string &name) {
    auto d = c->sandbox()->cluster().store().get(kd::sandbox::resourceType("apps/v1", "Deployment"),
                                                 "ml-serving", name);
    return d ? (*d)["spec"].value("replicas", -1) : -1;
}

std::string sandboxImage(Connection *c, const std::string &name) {
    auto d = c->sandbox()->cluster().store().get(kd::sandbox::resourceType("apps/v1", "Deployment"),
                                                 "ml-serving", name);
    return d ? (*d)["spec"]["template"]["spec"]["containers"][0].value("image", "") : "";
}

} // namespace

class TestEditorPane : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        kd::testing::cleanGuiEnvironment();
        MainWindow::StartOptions options;
        options.sandbox = true;
        options.sandboxSpeed = 20;
        m_window = kd::testing::openWindow(options, QSize(1700, 980));
        m_connection = m_window->connection();
        m_pane = m_window->editor();
        m_editor = m_pane->editor();
        QVERIFY(m_pane && m_editor);
        m_pane->setUnsavedChangesHandler([this](const QString &action) {
            m_asked << action;
            return m_answer;
        });
        connect(m_pane, &EditorPane::runFinished, this,
                [this](const ManifestRun &run) { m_runs << run; });
        m_window->showView(2);
        QTRY_COMPARE_WITH_TIMEOUT(m_connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
    }

    void cleanupTestCase() {
        // Whatever the last test left typed must not hold the window open.
        m_answer = EditorPane::UnsavedAnswer::Discard;
        m_window.reset();
    }

    void clusterSchemas() {
        // Once connected, lint and completion also use the cluster's own OpenAPI schemas.
        QTRY_VERIFY2_WITH_TIMEOUT(
            m_pane->validator()->schemaSource().startsWith(QLatin1String("cluster")),
            qPrintable(m_pane->findChild<QLabel *>(QStringLiteral("editorStatus"))->toolTip()),
            kConnectTimeoutMs);
    }

    void problemsAndQuickFix() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("llm-server.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kBadManifest.toUtf8());
        file.close();

        QSignalSpy loaded(m_pane, &EditorPane::fileLoaded);
        QSignalSpy validated(m_pane, &EditorPane::validated);
        m_pane->openFile(path);
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(loaded.at(0).at(0).toBool(), true);
        QCOMPARE(m_editor->toPlainText(), kBadManifest);
        QVERIFY(!m_pane->isModified());
        QTRY_VERIFY_WITH_TIMEOUT(validated.count() > 0 && !m_pane->validator()->isBusy(), 20'000);

        // Each problem is listed on its own line and underlined there.
        const int typo = lineOf(kBadManifest, QStringLiteral("replicsa:"));
        const int image = lineOf(kBadManifest, QStringLiteral("image:"));
        const int gpuRequest = lineOf(kBadManifest, QStringLiteral("nvidia.com/gpu:"));
        QCOMPARE(problemLines(m_pane, QStringLiteral("field-unknown")), QList<int>{typo});
        QCOMPARE(problemLines(m_pane, QStringLiteral("image-latest-tag")), QList<int>{image});
        QCOMPARE(problemLines(m_pane, QStringLiteral("gpu-requests-limits")),
                 QList<int>{gpuRequest});
        const QSet<int> squiggles = squiggledLines(m_editor);
        for (int line : {typo, image, gpuRequest})
            QVERIFY2(squiggles.contains(line), qPrintable(QString::number(line)));
        QVERIFY(m_pane->tabTitle().contains(QLatin1String("llm-server.yaml")));
        QVERIFY(m_pane->tabTitle().contains(
            QStringLiteral("(%1)").arg(m_pane->problems()->rowCount())));
        // Clicking a Problems row jumps to its line.
        for (int row = 0; row < m_pane->problems()->rowCount(); ++row)
            if (m_pane->problems()->diagnostic(row).code == QLatin1String("field-unknown"))
                m_pane->problemsView()->clicked(m_pane->problems()->index(row, 1));
        QCOMPARE(m_editor->textCursor().blockNumber() + 1, typo);

        m_pane->setDarkTheme(false);
        QVERIFY(
            kd::testing::saveScreenshot(m_window.get(), QStringLiteral("editor-problems-light")));
        m_pane->setDarkTheme(true);
        QVERIFY(m_pane->isDarkTheme());
        QCOMPARE(QSettings().value(QStringLiteral("editor/theme")).toString(),
                 QStringLiteral("dark"));
        QVERIFY(
            kd::testing::saveScreenshot(m_window.get(), QStringLiteral("editor-problems-dark")));
        m_pane->setDarkTheme(false);

        // The GPU quick fix adds the missing limit as one undoable edit.
        const QList<QAction *> fixes = m_pane->quickFixActions(gpuRequest);
        QAction *gpuFix = nullptr;
        for (QAction *a : fixes)
            if (a->text().contains(QLatin1String("limits[nvidia.com/gpu]")))
                gpuFix = a;
        QVERIFY2(gpuFix,
                 qPrintable(fixes.isEmpty() ? QStringLiteral("no fixes") : fixes.front()->text()));
        QVERIFY(gpuFix->text().startsWith(QLatin1String("Quick fix: ")));
        const QList<QAction *> rename = m_pane->quickFixActions(typo);
        QCOMPARE(rename.size(), 1);
        QVERIFY2(rename.front()->text().contains(QLatin1String("replicas")),
                 qPrintable(rename.front()->text()));
        qDeleteAll(rename);
        validated.clear();
        gpuFix->trigger();
        qDeleteAll(fixes);
        const QString fixed = m_editor->toPlainText();
        QVERIFY(fixed != kBadManifest);
        const QStringList fixedLines = fixed.split(QLatin1Char('\n'));
        const int limits = lineOf(fixed, QStringLiteral("limits:"));
        QVERIFY2(fixedLines.mid(limits).contains(QStringLiteral("              nvidia.com/gpu: 1")),
                 qPrintable(fixed));
        QVERIFY(m_pane->isModified());
        QVERIFY(m_pane->tabTitle().contains(QLatin1String("llm-server.yaml*")));
        QTRY_VERIFY_WITH_TIMEOUT(validated.count() > 0 && !m_pane->validator()->isBusy(), 20'000);
        QVERIFY(problemLines(m_pane, QStringLiteral("gpu-requests-limits")).isEmpty());
        QCOMPARE(problemLines(m_pane, QStringLiteral("field-unknown")), QList<int>{typo});
        // One undo step takes the whole fix back.
        m_editor->undo();
        QCOMPARE(m_editor->toPlainText(), kBadManifest);
        m_editor->redo();
        QCOMPARE(m_editor->toPlainText(), fixed);
    }

    void completion() {
        m_answer = EditorPane::UnsavedAnswer::Discard;
        m_pane->newDocument();
        m_editor->setPlainText(QStringLiteral("apiVersion: apps/v1\nkind: Deployment\nspec:\n  "
                                              "replicas: 1\n  "));
        m_editor->moveCursor(QTextCursor::End);
        m_editor->requestCompletion();
        QTRY_VERIFY(m_editor->isCompletionVisible());
        const QStringList labels = m_editor->completionLabels();
        QVERIFY2(labels.contains(QLatin1String("selector")) &&
                     labels.contains(QLatin1String("template")) &&
                     !labels.contains(QLatin1String("replicas")),
                 qPrintable(labels.join(u',')));
        m_editor->hideCompletion();
    }

    void diffAgainstTheLiveObject() {
        m_answer = EditorPane::UnsavedAnswer::Discard;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->selectObject(QStringLiteral("deployments.apps"),
                                                        QStringLiteral("ml-serving"),
                                                        QStringLiteral("churn-predictor")),
                                 30'000);
        QSignalSpy opened(m_pane, &EditorPane::liveObjectOpened);
        m_pane->openLiveObject(m_window->selectedKindKey(), m_window->selectedObject());
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kRunTimeoutMs);
        QCOMPARE(opened.at(0).at(0).toBool(), true);
        const QString live = m_editor->toPlainText();
        QVERIFY(live.contains(QLatin1String("name: churn-predictor")));
        for (const char *gone : {"managedFields", "resourceVersion", "uid:", "creationTimestamp",
                                 "generation:", "\nstatus:"})
            QVERIFY2(!live.contains(QLatin1String(gone)), gone);
        QVERIFY(m_pane->tabTitle().contains(QLatin1String("deployment.apps/churn-predictor")));
        QVERIFY(!m_pane->isModified());

        // One real change; the emitted formatting and the server's defaults show no difference.
        const int replicas = sandboxReplicas(m_connection, "churn-predictor");
        QVERIFY(replicas > 0);
        QString edited = live;
        edited.replace(QStringLiteral("replicas: %1").arg(replicas),
                       QStringLiteral("replicas: %1").arg(replicas + 2));
        QVERIFY(edited != live);
        m_editor->setPlainText(edited);
        m_runs.clear();
        m_pane->showDiff();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QVERIFY2(m_runs.front().problem.isEmpty(), qPrintable(m_runs.front().problem));
        QVERIFY(m_pane->isDiffShown());
        kd::widgets::DiffView *diff = m_pane->diffView();
        QVERIFY(diff->hasDifferences());
        QCOMPARE(diff->changeCount(), 1);
        QVERIFY(diff->leftRows().contains(QStringLiteral("  replicas: %1").arg(replicas)));
        QVERIFY(diff->rightRows().contains(QStringLiteral("  replicas: %1").arg(replicas + 2)));
        QTRY_VERIFY_WITH_TIMEOUT(!m_pane->validator()->isBusy(), 20'000);
        QVERIFY(kd::testing::saveScreenshot(m_window.get(), QStringLiteral("editor-diff")));
        // A dry run persisted nothing; the text is as the user left it.
        QCOMPARE(sandboxReplicas(m_connection, "churn-predictor"), replicas);
        QCOMPARE(m_editor->toPlainText(), edited);
        m_pane->closeDiff();
        QVERIFY(!m_pane->isDiffShown());
    }

    void applyAndForceOnConflict() {
        m_answer = EditorPane::UnsavedAnswer::Discard;
        // A new object: created.
        m_pane->newDocument();
        m_editor->setPlainText(demoDeployment(QStringLiteral("editor-demo")));
        m_runs.clear();
        m_pane->apply();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QVERIFY2(m_runs.front().ok(), qPrintable(m_runs.front().summary().join(u'\n')));
        QCOMPARE(m_pane->messageBar()->kind(), EditorMessageBar::Kind::Success);
        QCOMPARE(m_pane->messageBar()->text(),
                 QStringLiteral("deployment.apps/editor-demo created"));
        QCOMPARE(sandboxReplicas(m_connection, "editor-demo"), 1);
        // The same text again changes nothing.
        m_runs.clear();
        m_pane->apply();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QCOMPARE(m_pane->messageBar()->text(),
                 QStringLiteral("deployment.apps/editor-demo unchanged"));

        // A field another manager owns: the apply stops and names it; Force apply takes it.
        QVERIFY(m_window->selectObject(QStringLiteral("deployments.apps"),
                                       QStringLiteral("ml-serving"),
                                       QStringLiteral("churn-predictor")));
        // Through the browser's "Edit YAML" action this time.
        m_window->showView(0);
        QSignalSpy opened(m_pane, &EditorPane::liveObjectOpened);
        QTRY_VERIFY(m_window->actions()->editYamlAction()->isEnabled());
        m_window->actions()->editYamlAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kRunTimeoutMs);
        QVERIFY(m_pane->isVisible());
        const std::string oldImage = sandboxImage(m_connection, "churn-predictor");
        QString text = m_editor->toPlainText();
        QVERIFY2(text.contains(QString::fromStdString(oldImage)), qPrintable(text));
        text.replace(QString::fromStdString(oldImage),
                     QStringLiteral("ghcr.io/yourorg/churn-service:0.4.0-rc1"));
        m_editor->setPlainText(text);
        m_runs.clear();
        m_pane->apply();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QVERIFY2(m_runs.front().hasConflicts(), qPrintable(m_runs.front().summary().join(u'\n')));
        QCOMPARE(m_pane->messageBar()->kind(), EditorMessageBar::Kind::Warning);
        QVERIFY2(m_pane->messageBar()->text().contains(QLatin1String("image")),
                 qPrintable(m_pane->messageBar()->text()));
        // The conflict names the container by its merge key; it is marked on the image line.
        QCOMPARE(problemLines(m_pane, QStringLiteral("server")),
                 QList<int>{lineOf(text, QStringLiteral("image:"))});
        auto *force = m_pane->messageBar()->findChild<QPushButton *>(QStringLiteral("forceApply"));
        QVERIFY(force && force->isVisible());
        QCOMPARE(sandboxImage(m_connection, "churn-predictor"), oldImage);
        QCOMPARE(m_editor->toPlainText(), text);
        QTRY_VERIFY_WITH_TIMEOUT(!m_pane->validator()->isBusy(), 20'000);
        QCOMPARE(problemLines(m_pane, QStringLiteral("server")),
                 QList<int>{lineOf(text, QStringLiteral("image:"))});
        QVERIFY(kd::testing::saveScreenshot(m_window.get(), QStringLiteral("editor-conflict")));
        m_runs.clear();
        force->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QVERIFY2(m_runs.front().ok(), qPrintable(m_runs.front().summary().join(u'\n')));
        QCOMPARE(m_pane->messageBar()->text(),
                 QStringLiteral("deployment.apps/churn-predictor configured"));
        QCOMPARE(sandboxImage(m_connection, "churn-predictor"),
                 std::string("ghcr.io/yourorg/churn-service:0.4.0-rc1"));
    }

    void dryRunRefusedByTheServer() {
        // editor-demo exists now; its selector is immutable, which only the server knows.
        m_answer = EditorPane::UnsavedAnswer::Discard;
        m_pane->newDocument();
        const QString text = demoDeployment(QStringLiteral("editor-demo-v2"));
        m_editor->setPlainText(text);
        QSignalSpy validated(m_pane, &EditorPane::validated);
        QTRY_VERIFY_WITH_TIMEOUT(validated.count() > 0 && !m_pane->validator()->isBusy(), 20'000);
        QVERIFY(problemLines(m_pane, QStringLiteral("selector-mismatch")).isEmpty());
        QVERIFY(problemLines(m_pane, QStringLiteral("server")).isEmpty());
        m_runs.clear();
        m_pane->dryRun();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QVERIFY(!m_runs.front().ok());
        const int selector = lineOf(text, QStringLiteral("selector:"));
        QCOMPARE(problemLines(m_pane, QStringLiteral("server")), QList<int>{selector});
        QVERIFY(squiggledLines(m_editor).contains(selector));
        QCOMPARE(m_pane->messageBar()->kind(), EditorMessageBar::Kind::Error);
        QVERIFY2(m_pane->messageBar()->text().contains(QLatin1String("immutable")),
                 qPrintable(m_pane->messageBar()->text()));
        QCOMPARE(m_editor->toPlainText(), text);
        QVERIFY(
            kd::testing::saveScreenshot(m_window.get(), QStringLiteral("editor-dry-run-error")));
        // The server's finding stays on its line while lint runs again after an edit above it.
        validated.clear();
        QTextCursor top(m_editor->document());
        top.insertText(QStringLiteral("# a comment\n"));
        QTRY_VERIFY_WITH_TIMEOUT(validated.count() > 0 && !m_pane->validator()->isBusy(), 20'000);
        QCOMPARE(problemLines(m_pane, QStringLiteral("server")), QList<int>{selector + 1});
        // Nothing was persisted.
        auto demo = m_connection->sandbox()->cluster().store().get(
            kd::sandbox::resourceType("apps/v1", "Deployment"), "ml-serving", "editor-demo");
        QVERIFY(demo);
        QCOMPARE(
            QString::fromStdString((*demo)["spec"]["selector"]["matchLabels"].value("app", "")),
            QStringLiteral("editor-demo"));
    }

    void unsavedChangesGuard() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("guarded.yaml"));
        m_answer = EditorPane::UnsavedAnswer::Discard;
        m_pane->newDocument();
        QVERIFY(!m_pane->isModified());
        m_asked.clear();
        m_pane->newDocument(); // nothing to lose: no question
        QVERIFY(m_asked.isEmpty());

        m_editor->setFocus();
        QTest::keyClicks(m_editor, QStringLiteral("kind: Service"));
        QVERIFY(m_pane->isModified());
        QVERIFY(m_pane->tabTitle().contains(QLatin1String("untitled*")));
        const QString typed = m_editor->toPlainText();

        // Cancel keeps everything.
        m_answer = EditorPane::UnsavedAnswer::Cancel;
        m_pane->newDocument();
        QCOMPARE(m_asked.size(), 1);
        QCOMPARE(m_editor->toPlainText(), typed);
        m_pane->openFile(path);
        QCOMPARE(m_asked.size(), 2);
        QCOMPARE(m_editor->toPlainText(), typed);
        // Closing the window asks too; Cancel keeps it open.
        QVERIFY(!m_window->close());
        QVERIFY(m_window->isVisible());
        QCOMPARE(m_asked.size(), 3);

        // Save writes the file first, then goes on.
        QSignalSpy saved(m_pane, &EditorPane::fileSaved);
        m_pane->saveFileAs(path);
        QTRY_COMPARE(saved.count(), 1);
        QVERIFY(!m_pane->isModified());
        QVERIFY(m_pane->tabTitle().contains(QLatin1String("guarded.yaml")));
        m_editor->insertPlainText(QStringLiteral("\nmetadata: {}"));
        const QString more = m_editor->toPlainText();
        m_answer = EditorPane::UnsavedAnswer::Save;
        m_pane->newDocument();
        QTRY_COMPARE(saved.count(), 2);
        QTRY_VERIFY(m_editor->toPlainText().isEmpty());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), more);

        // Discard drops the text.
        QTest::keyClicks(m_editor, QStringLiteral("kind: Pod"));
        m_answer = EditorPane::UnsavedAnswer::Discard;
        m_pane->newDocument();
        QVERIFY(m_editor->toPlainText().isEmpty());
        QVERIFY(!m_pane->isModified());
    }

    void errorsKeepTheText() {
        m_answer = EditorPane::UnsavedAnswer::Discard;
        m_pane->newDocument();
        QTest::keyClicks(m_editor, QStringLiteral("kind: [unclosed"));
        const QString text = m_editor->toPlainText();
        QVERIFY(m_pane->isModified());

        // A file that is not there.
        QSignalSpy loaded(m_pane, &EditorPane::fileLoaded);
        m_pane->openFile(QStringLiteral(KD_BINARY_DIR "/no-such-dir/x.yaml"));
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(loaded.at(0).at(0).toBool(), false);
        QCOMPARE(m_pane->messageBar()->kind(), EditorMessageBar::Kind::Error);
        QVERIFY(m_pane->messageBar()->text().contains(QLatin1String("Could not open")));
        QCOMPARE(m_editor->toPlainText(), text);
        QVERIFY(m_pane->isModified()); // still guarded: the next New asks again
        // Typed again after that, and a place that cannot be written.
        QTest::keyClicks(m_editor, QStringLiteral("]"));
        const QString typed = m_editor->toPlainText();
        QSignalSpy saved(m_pane, &EditorPane::fileSaved);
        m_pane->saveFileAs(QStringLiteral(KD_BINARY_DIR "/no-such-dir/x.yaml"));
        QTRY_COMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toBool(), false);
        QVERIFY(m_pane->messageBar()->text().contains(QLatin1String("Could not save")));
        QCOMPARE(m_editor->toPlainText(), typed);
        QVERIFY(m_pane->isModified());

        // YAML that does not parse is not sent.
        m_editor->setPlainText(QStringLiteral("kind: [unclosed\n"));
        m_runs.clear();
        m_pane->dryRun();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QVERIFY(m_pane->messageBar()->text().contains(QLatin1String("does not parse")));
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("kind: [unclosed\n"));

        // Without a cluster, Apply says so and the text stays.
        m_editor->setPlainText(demoDeployment(QStringLiteral("editor-demo")));
        m_connection->disconnectFromCluster();
        m_runs.clear();
        m_pane->apply();
        QTRY_COMPARE_WITH_TIMEOUT(m_runs.size(), 1, kRunTimeoutMs);
        QCOMPARE(m_pane->messageBar()->kind(), EditorMessageBar::Kind::Error);
        QVERIFY2(m_pane->messageBar()->text().contains(QLatin1String("Not connected")),
                 qPrintable(m_pane->messageBar()->text()));
        QCOMPARE(m_editor->toPlainText(), demoDeployment(QStringLiteral("editor-demo")));
    }

private:
    std::unique_ptr<MainWindow> m_window;
    Connection *m_connection = nullptr;
    EditorPane *m_pane = nullptr;
    CodeEditor *m_editor = nullptr;
    QStringList m_asked;
    EditorPane::UnsavedAnswer m_answer = EditorPane::UnsavedAnswer::Cancel;
    QList<ManifestRun> m_runs;
};

QTEST_MAIN(TestEditorPane)
#include "tst_editorpane.moc"
