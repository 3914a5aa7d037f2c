// DiffView: side-by-side rows with changed lines facing each other and filler where a side has
// no line, the unified column, "no differences", next/previous change navigation that scrolls
// both sides together, and the theme's colours. Saves screenshots of both modes.
#include "widgets/diffview.h"

#include "screenshots.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>

using namespace kd::widgets;

namespace {

const QString kLive = QStringLiteral("apiVersion: apps/v1\n"
                                     "kind: Deployment\n"
                                     "metadata:\n"
                                     "  name: llama\n"
                                     "spec:\n"
                                     "  replicas: 2\n"
                                     "  paused: false\n"
                                     "  template: {}\n");
const QString kEdited = QStringLiteral("apiVersion: apps/v1\n"
                                       "kind: Deployment\n"
                                       "metadata:\n"
                                       "  name: llama\n"
                                       "  labels: {app: llama}\n"
                                       "spec:\n"
                                       "  replicas: 4\n"
                                       "  template: {}\n");

// The two text panes, left then right.
QList<QPlainTextEdit *> panes(const DiffView &view) {
    return view.findChildren<QPlainTextEdit *>();
}

QColor rowBackground(const QPlainTextEdit *pane, int row) {
    return pane->document()->findBlockByNumber(row).blockFormat().background().color();
}

} // namespace

class TstDiffView final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<DiffView> m_view;

private slots:
    void init() {
        m_view = std::make_unique<DiffView>();
        m_view->resize(900, 300);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() { m_view.reset(); }

    void sideBySideFacesChangesAndFillsGaps() {
        m_view->setTexts(kLive, kEdited, QStringLiteral("live"), QStringLiteral("edited"));
        QVERIFY(m_view->hasDifferences());
        QCOMPARE(m_view->changeCount(), 2);
        const QStringList left = m_view->leftRows();
        const QStringList right = m_view->rightRows();
        QCOMPARE(left.size(), right.size());
        // The added label faces filler; the changed replica count faces its new value, and the
        // removed "paused" faces filler.
        QCOMPARE(left.at(4), QString());
        QCOMPARE(right.at(4), QStringLiteral("  labels: {app: llama}"));
        QCOMPARE(left.at(6), QStringLiteral("  replicas: 2"));
        QCOMPARE(right.at(6), QStringLiteral("  replicas: 4"));
        QCOMPARE(left.at(7), QStringLiteral("  paused: false"));
        QCOMPARE(right.at(7), QString());
        QCOMPARE(left.back(), right.back());

        const EditorTheme theme = EditorTheme::light();
        const auto p = panes(*m_view);
        QCOMPARE(p.size(), 2);
        QCOMPARE(rowBackground(p.at(0), 4), theme.diffFiller);
        QCOMPARE(rowBackground(p.at(1), 4), theme.diffAdded);
        QCOMPARE(rowBackground(p.at(0), 6), theme.diffChanged);
        QCOMPARE(rowBackground(p.at(1), 6), theme.diffChanged);
        QCOMPARE(rowBackground(p.at(0), 7), theme.diffRemoved);
        // Context rows keep the editor's own background.
        QVERIFY(p.at(0)->document()->findBlockByNumber(0).blockFormat().background() ==
                Qt::NoBrush);
        QVERIFY(kd::testing::saveScreenshot(m_view.get(), QStringLiteral("diffview-side-by-side")));
    }

    void unifiedListsRemovedBeforeAdded() {
        m_view->setMode(DiffView::Mode::Unified);
        m_view->setTexts(kLive, kEdited);
        QVERIFY(m_view->rightRows().isEmpty());
        QCOMPARE(
            m_view->leftRows(),
            QStringList({QStringLiteral("apiVersion: apps/v1"), QStringLiteral("kind: Deployment"),
                         QStringLiteral("metadata:"), QStringLiteral("  name: llama"),
                         QStringLiteral("  labels: {app: llama}"), QStringLiteral("spec:"),
                         QStringLiteral("  replicas: 2"), QStringLiteral("  paused: false"),
                         QStringLiteral("  replicas: 4"), QStringLiteral("  template: {}")}));
        QCOMPARE(m_view->changeCount(), 2);
        const QPlainTextEdit *pane = panes(*m_view).at(0);
        QCOMPARE(rowBackground(pane, 4), EditorTheme::light().diffAdded);
        QCOMPARE(rowBackground(pane, 6), EditorTheme::light().diffRemoved);
        QVERIFY(!panes(*m_view).at(1)->isVisible());
        m_view->setTheme(EditorTheme::dark());
        QCOMPARE(rowBackground(pane, 8), EditorTheme::dark().diffAdded);
        QVERIFY(kd::testing::saveScreenshot(m_view.get(), QStringLiteral("diffview-unified-dark")));
    }

    void identicalTextsSaySo() {
        m_view->setTexts(kLive, QString(kLive).replace(QLatin1Char('\n'), QStringLiteral("\r\n")));
        QVERIFY(!m_view->hasDifferences());
        QCOMPARE(m_view->changeCount(), 0);
        QVERIFY(!m_view->nextChange());
        QVERIFY(!m_view->previousChange());
        QCOMPARE(m_view->currentChange(), -1);
        bool shown = false;
        for (const QLabel *label : m_view->findChildren<QLabel *>())
            shown |= label->isVisible() && label->text() == QStringLiteral("No differences");
        QVERIFY(shown);
        QVERIFY(!panes(*m_view).at(0)->isVisible());
    }

    void navigationStepsThroughChangesAndScrollsBothSides() {
        // Two changes far apart in a long text.
        QString oldText;
        for (int i = 0; i < 400; ++i)
            oldText += QStringLiteral("line %1\n").arg(i);
        QString newText = oldText;
        newText.replace(QStringLiteral("line 20\n"), QStringLiteral("line twenty\n"));
        newText.replace(QStringLiteral("line 350\n"), QStringLiteral("line 350\nextra\n"));
        m_view->setTexts(oldText, newText);
        QCOMPARE(m_view->changeCount(), 2);
        QSignalSpy spy(m_view.get(), &DiffView::currentChangeChanged);
        const auto p = panes(*m_view);

        QVERIFY(m_view->nextChange());
        QCOMPARE(m_view->currentChange(), 0);
        QCOMPARE(m_view->currentRow(), 20);
        QVERIFY(m_view->nextChange());
        QCOMPARE(m_view->currentRow(), 351);
        QCOMPARE(spy.size(), 2);
        QCOMPARE(spy.back().front().toInt(), 1);
        // Both sides show the change: the scroll bars count rows and move together.
        QVERIFY(p.at(0)->verticalScrollBar()->value() > 300);
        QCOMPARE(p.at(1)->verticalScrollBar()->value(), p.at(0)->verticalScrollBar()->value());
        QCOMPARE(p.at(0)->textCursor().blockNumber(), 351);
        QVERIFY(m_view->nextChange()); // wraps around
        QCOMPARE(m_view->currentChange(), 0);
        QVERIFY(m_view->previousChange());
        QCOMPARE(m_view->currentChange(), 1);
        // Scrolling one side scrolls the other.
        p.at(1)->verticalScrollBar()->setValue(100);
        QCOMPARE(p.at(0)->verticalScrollBar()->value(), 100);
    }
};

QTEST_MAIN(TstDiffView)
#include "tst_diffview.moc"
