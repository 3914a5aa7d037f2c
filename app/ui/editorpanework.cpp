// The editor tab's work outside the widgets: files (read and written off the GUI thread), live
// objects, the unsaved-changes guard, and Diff / Dry run / Apply against the cluster.
#include "kube/openapicache.h"
#include "kube/whendone.h"
#include "model/columns.h"
#include "ui/connection.h"
#include "ui/editoractions.h"
#include "ui/editormessagebar.h"
#include "ui/editorpane.h"
#include "ui/editorvalidation.h"
#include "widgets/codeeditor.h"
#include "widgets/diffview.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStackedWidget>
#include <QStringDecoder>
#include <QtConcurrent/QtConcurrentRun>

namespace kd::ui {

namespace {

// Bigger manifests are not what an editor is for; `kubedeck lint` takes them.
constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
const QString kServerCode = QStringLiteral("server");

struct FileRead {
    QString text;
    QString error; // "" when read
};

FileRead readFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, file.errorString()};
    if (file.size() > kMaxFileBytes)
        return {{},
                QObject::tr("it is %1 MB; the editor opens files up to %2 MB")
                    .arg(file.size() / (1024 * 1024))
                    .arg(kMaxFileBytes / (1024 * 1024))};
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return {{}, file.errorString()};
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return {{}, QObject::tr("it is not UTF-8 text")};
    return {text, {}};
}

QString writeText(const QString &path, const QString &text) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    file.write(text.toUtf8());
    if (!file.commit())
        return file.errorString();
    return {};
}

} // namespace

void EditorPane::whenSafeToReplace(const QString &action, std::function<void()> proceed) {
    if (!isModified())
        return proceed();
    UnsavedAnswer answer = UnsavedAnswer::Cancel;
    if (m_unsavedHandler) {
        answer = m_unsavedHandler(action);
    } else {
        QMessageBox box(QMessageBox::Question, tr("Unsaved changes"),
                        tr("The editor has unsaved changes. Save them before you %1?").arg(action),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("unsavedChangesBox"));
        box.setDefaultButton(QMessageBox::Save);
        const int button = box.exec();
        answer = button == QMessageBox::Save      ? UnsavedAnswer::Save
                 : button == QMessageBox::Discard ? UnsavedAnswer::Discard
                                                  : UnsavedAnswer::Cancel;
    }
    switch (answer) {
    case UnsavedAnswer::Cancel:
        return;
    case UnsavedAnswer::Discard:
        return proceed();
    case UnsavedAnswer::Save: {
        QString path = m_path;
        if (path.isEmpty())
            path = QFileDialog::getSaveFileName(this, tr("Save the manifest as"), {},
                                                tr("YAML manifests (*.yaml *.yml);;All files (*)"));
        if (path.isEmpty())
            return;
        writeFile(path, [proceed = std::move(proceed)](bool ok) {
            if (ok)
                proceed();
        });
        return;
    }
    }
}

bool EditorPane::okToClose() {
    if (!isModified())
        return true;
    // proceed runs at once (nothing to save, or discarded) or later, once the text is saved.
    auto inside = std::make_shared<bool>(true);
    bool now = false;
    whenSafeToReplace(tr("close Kubedeck"), [this, inside, &now] {
        if (*inside)
            now = true;
        else if (QWidget *w = window())
            w->close();
    });
    *inside = false;
    return now;
}

void EditorPane::writeFile(const QString &path, std::function<void(bool)> done) {
    const QString text = m_editor->toPlainText();
    const int revision = m_editor->document()->revision();
    m_message->showMessage(EditorMessageBar::Kind::Info, tr("Saving %1…").arg(path));
    kube::whenDone(this, QtConcurrent::run(writeText, path, text),
                   [this, path, revision, done = std::move(done)](QString error) {
                       if (!error.isEmpty()) {
                           m_message->showMessage(EditorMessageBar::Kind::Error,
                                                  tr("Could not save %1: %2. The text is still "
                                                     "here, unsaved.")
                                                      .arg(path, error));
                           emit fileSaved(false);
                           if (done)
                               done(false);
                           return;
                       }
                       m_path = path;
                       m_liveName.clear();
                       // Typed while saving: those changes are still unsaved.
                       if (m_editor->document()->revision() == revision)
                           m_editor->document()->setModified(false);
                       m_message->showMessage(EditorMessageBar::Kind::Success,
                                              tr("Saved %1.").arg(path));
                       updateTitle();
                       updateStatus();
                       emit fileSaved(true);
                       if (done)
                           done(true);
                   });
}

void EditorPane::saveFile() {
    if (m_path.isEmpty()) {
        m_saveAs->trigger();
        return;
    }
    writeFile(m_path, {});
}

void EditorPane::saveFileAs(const QString &path) {
    writeFile(path, {});
}

void EditorPane::replaceText(const QString &text, const QString &path, const QString &liveName) {
    m_path = path;
    m_liveName = liveName;
    m_serverFindings.clear();
    m_editor->clearDiagnostics();
    m_editor->setPlainText(text);
    m_editor->document()->setModified(false);
    closeDiff();
    m_validator->validateNow(text);
    updateTitle();
    updateStatus();
}

void EditorPane::newDocument() {
    whenSafeToReplace(tr("start a new manifest"), [this] {
        ++m_fileRequest;
        m_message->clearMessage();
        replaceText({}, {}, {});
    });
}

void EditorPane::openFile(const QString &path) {
    whenSafeToReplace(tr("open %1").arg(QFileInfo(path).fileName()),
                      [this, path] { loadFile(path); });
}

void EditorPane::loadFile(const QString &path) {
    const quint64 request = ++m_fileRequest;
    const int revision = m_editor->document()->revision();
    m_message->showMessage(EditorMessageBar::Kind::Info, tr("Opening %1…").arg(path));
    kube::whenDone(
        this, QtConcurrent::run(readFile, path), [this, path, request, revision](FileRead read) {
            if (request != m_fileRequest)
                return;
            if (!read.error.isEmpty()) {
                m_message->showMessage(EditorMessageBar::Kind::Error,
                                       tr("Could not open %1: %2.").arg(path, read.error));
                emit fileLoaded(false);
                return;
            }
            if (isModified() && m_editor->document()->revision() != revision) {
                m_message->showMessage(EditorMessageBar::Kind::Warning,
                                       tr("Did not open %1: you changed the text "
                                          "while it was being read.")
                                           .arg(path));
                emit fileLoaded(false);
                return;
            }
            m_message->clearMessage();
            replaceText(read.text, path, {});
            emit fileLoaded(true);
        });
}

void EditorPane::openLiveObject(const QString &kindKey, const kube::ObjectPtr &object) {
    const model::BrowsedKind *kind = model::browsedKind(kindKey);
    if (!object || !kind) {
        m_message->showMessage(EditorMessageBar::Kind::Info,
                               tr("Select an object in Resources or Topology first."));
        return;
    }
    const QString ns = object->namespaceName();
    const QString name = object->name();
    whenSafeToReplace(
        tr("open %1").arg(kubectlName(kind->kind.groupVersion(), kind->kind.kind, name)),
        [this, kind, ns, name] {
            const quint64 request = ++m_fileRequest;
            const int revision = m_editor->document()->revision();
            m_message->showMessage(EditorMessageBar::Kind::Info,
                                   tr("Getting %1 from the cluster…").arg(name));
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection = connect(
                m_runner, &ManifestRunner::liveFetched, this,
                [this, request, revision, connection](quint64, const QString &title,
                                                      const QString &yaml, const QString &error) {
                    disconnect(*connection);
                    if (request != m_fileRequest)
                        return;
                    if (!error.isEmpty() ||
                        (isModified() && m_editor->document()->revision() != revision)) {
                        m_message->showMessage(EditorMessageBar::Kind::Error,
                                               error.isEmpty()
                                                   ? tr("Did not open %1: you changed the text "
                                                        "while it was being fetched.")
                                                         .arg(title)
                                                   : tr("Could not get %1: %2").arg(title, error));
                        emit liveObjectOpened(false);
                        return;
                    }
                    replaceText(yaml, {}, title);
                    m_message->showMessage(EditorMessageBar::Kind::Info,
                                           tr("Opened %1 as the cluster has it. Edit it, then Dry "
                                              "run or Apply.")
                                               .arg(title));
                    emit liveObjectOpened(true);
                });
            m_runner->fetchLive(kind->kind, ns, name);
        });
}

void EditorPane::loadClusterSchemas() {
    kube::ApiClient *client =
        m_connection->state() == Connection::State::Connected ? m_connection->client() : nullptr;
    if (client == m_schemaClient)
        return;
    m_schemaClient = client;
    if (!client) {
        m_schemaNote.clear();
        m_validator->setClusterSchemas(nullptr);
        updateStatus();
        return;
    }
    m_schemaNote = tr("Loading the cluster's schemas…");
    updateStatus();
    kube::whenDone(this, kube::loadClusterSchemas(*client),
                   [this, client](kube::Result<kube::ClusterSchemas> loaded) {
                       if (client != m_schemaClient)
                           return; // another cluster by now
                       if (!loaded) {
                           m_schemaNote = tr("The cluster's schemas could not be loaded (%1); "
                                             "validating with the built-in ones.")
                                              .arg(loaded.error().message);
                       } else {
                           m_schemaNote.clear();
                           m_validator->setClusterSchemas(loaded->schemas);
                       }
                       updateStatus();
                   });
}

void EditorPane::showDiff() {
    runOnCluster(static_cast<int>(ManifestRun::Mode::Diff));
}

void EditorPane::dryRun() {
    runOnCluster(static_cast<int>(ManifestRun::Mode::DryRun));
}

void EditorPane::apply(bool force) {
    runOnCluster(
        static_cast<int>(force ? ManifestRun::Mode::ForceApply : ManifestRun::Mode::Apply));
}

void EditorPane::runOnCluster(int modeValue) {
    const auto mode = static_cast<ManifestRun::Mode>(modeValue);
    const QString what = mode == ManifestRun::Mode::Diff     ? tr("Comparing with the cluster…")
                         : mode == ManifestRun::Mode::DryRun ? tr("Dry run on the server…")
                         : mode == ManifestRun::Mode::Apply  ? tr("Applying…")
                                                             : tr("Force applying…");
    m_message->showMessage(EditorMessageBar::Kind::Info, what);
    m_runner->start(mode, m_editor->toPlainText());
}

void EditorPane::onRunFinished(const ManifestRun &run) {
    using Kind = EditorMessageBar::Kind;
    // What the server said replaces what it said last time.
    m_serverFindings = run.findings();
    const std::string sent = run.text.toStdString();
    // Lint's own: exact when they are of this very text, else as the editor kept them on theirs.
    widgets::DiagnosticList all;
    if (m_lintedText == m_editor->toPlainText())
        all = m_validator->latest().diagnostics;
    else
        for (const widgets::Diagnostic &d : m_editor->diagnostics())
            if (d.code != kServerCode)
                all.push_back(d);
    for (const manifest::Finding &f : m_serverFindings)
        all.push_back(diagnosticFor(f, sent));
    m_editor->setDiagnostics(all);
    showDiagnostics();

    const QStringList summary = run.summary();
    if (!run.problem.isEmpty()) {
        m_message->showMessage(Kind::Error, run.problem);
    } else if (run.mode == ManifestRun::Mode::Diff) {
        m_diff->setTexts(run.liveText, run.afterText, tr("live"),
                         tr("after apply (server dry run)"));
        QString text = m_diff->hasDifferences()
                           ? tr("Live objects (left) and what applying the editor's text "
                                "would make of them (right): %n changed block(s).",
                                nullptr, m_diff->changeCount())
                           : tr("No differences: applying would change nothing.");
        m_diffSummary->setText(text);
        m_stack->setCurrentIndex(1);
        m_diff->nextChange();
        if (run.ok())
            m_message->clearMessage();
        else
            m_message->showMessage(Kind::Warning,
                                   tr("The server's dry run refused some objects; they are shown "
                                      "as written:\n") +
                                       summary.join(QLatin1Char('\n')));
    } else if (run.hasConflicts()) {
        QStringList conflicts;
        for (const ManifestOutcome &o : run.outcomes)
            for (const QString &c : o.conflicts)
                conflicts << QStringLiteral("  %1: %2").arg(o.name, c);
        m_message->showMessage(
            Kind::Warning,
            (run.mode == ManifestRun::Mode::DryRun
                 ? tr("The dry run found conflicts: other field managers own fields this text "
                      "sets.\n%1\nForce apply takes these fields over from them.")
                 : tr("Apply stopped: other field managers own fields this text sets.\n%1\n"
                      "Force apply takes these fields over from them; nothing else changes."))
                .arg(conflicts.join(QLatin1Char('\n'))));
        m_message->addButton(tr("Force apply"), QStringLiteral("forceApply"),
                             [this] { apply(true); });
    } else if (run.ok()) {
        m_message->showMessage(Kind::Success, summary.join(QLatin1Char('\n')));
    } else {
        const bool placed = !m_serverFindings.empty();
        m_message->showMessage(Kind::Error,
                               (run.mode == ManifestRun::Mode::DryRun
                                    ? tr("The server refused the dry run:\n")
                                    : tr("The server refused the apply:\n")) +
                                   summary.join(QLatin1Char('\n')) +
                                   (placed ? tr("\nThe fields it named are marked in the text "
                                                "and listed under Problems.")
                                           : QString()));
    }
    emit runFinished(run);
}

} // namespace kd::ui
