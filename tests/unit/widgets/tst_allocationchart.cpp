// AllocationChart: owners stack in one order with one colour in every row, hit testing agrees
// with what is drawn (ownerAt on segment centres, clicks and hovers through the real chart
// view), capacity markers sit at their value, group headings order the rows, odd data (no rows,
// zero capacity, huge or invalid values, 200 rows) is survived and the height grows with the
// rows. Saves a light and a dark screenshot.
#include "widgets/allocationchart.h"

#include "screenshots.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <limits>

using namespace kd::widgets;

namespace {

AllocationSegment seg(const QString &owner, double value, const QString &tooltip = {}) {
    return {owner, value, tooltip};
}

// Eight GPU nodes in three pools, six workloads, one node cordoned.
std::vector<AllocationRow> sampleRows() {
    const QString a100 = QStringLiteral("a100-pool");
    const QString h100 = QStringLiteral("h100-pool");
    const QString l4 = QStringLiteral("l4-pool");
    std::vector<AllocationRow> rows;
    rows.push_back({QStringLiteral("gpu-a100-0"),
                    a100,
                    {seg(QStringLiteral("llama"), 4), seg(QStringLiteral("mistral"), 2)},
                    2,
                    0,
                    8,
                    QStringLiteral("zone us-east-1a")});
    rows.push_back({QStringLiteral("gpu-a100-1"),
                    a100,
                    {seg(QStringLiteral("llama"), 4), seg(QStringLiteral("whisper"), 4)},
                    0,
                    0,
                    8,
                    {}});
    rows.push_back({QStringLiteral("gpu-a100-2"),
                    a100,
                    {seg(QStringLiteral("mistral"), 2)},
                    2,
                    4,
                    8,
                    QStringLiteral("cordoned: driver upgrade")});
    rows.push_back({QStringLiteral("gpu-h100-0"),
                    h100,
                    {seg(QStringLiteral("trainer"), 8, QStringLiteral("trainer-0: 8 GPUs"))},
                    0,
                    0,
                    8,
                    {}});
    rows.push_back({QStringLiteral("gpu-h100-1"),
                    h100,
                    {seg(QStringLiteral("trainer"), 6), seg(QStringLiteral("embedder"), 1)},
                    1,
                    0,
                    8,
                    {}});
    rows.push_back({QStringLiteral("gpu-h100-2-with-a-rather-long-name"),
                    h100,
                    {},
                    0,
                    8,
                    8,
                    QStringLiteral("cordoned")});
    rows.push_back({QStringLiteral("gpu-l4-0"),
                    l4,
                    {seg(QStringLiteral("whisper"), 1), seg(QStringLiteral("embedder"), 2)},
                    1,
                    0,
                    4,
                    {}});
    rows.push_back(
        {QStringLiteral("gpu-l4-1"), l4, {seg(QStringLiteral("embedder"), 1)}, 3, 0, 4, {}});
    return rows;
}

std::vector<AllocationOwner> sampleOwners() {
    return {{QStringLiteral("llama"), QStringLiteral("serving/llama-70b")},
            {QStringLiteral("mistral"), QStringLiteral("serving/mistral-7b")},
            {QStringLiteral("whisper"), QStringLiteral("audio/whisper")},
            {QStringLiteral("trainer"), QStringLiteral("training/finetune")},
            {QStringLiteral("embedder"), QStringLiteral("search/embedder")}};
}

// The widget under `pos` (the chart view's viewport) gets a real click or move.
void clickAt(QWidget *top, const QPoint &pos) {
    QWidget *target = top->childAt(pos);
    QVERIFY(target);
    QTest::mouseClick(target, Qt::LeftButton, {}, target->mapFrom(top, pos));
}

void moveTo(QWidget *top, const QPoint &pos) {
    QWidget *target = top->childAt(pos);
    QVERIFY(target);
    QTest::mouseMove(target, target->mapFrom(top, pos));
}

} // namespace

class TstAllocationChart final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<AllocationChart> m_chart;

    // Sizes the top-level chart to its content, as a scroll area would.
    void fit(int width = 900) {
        m_chart->resize(width, m_chart->heightForWidth(width) > 0 ? m_chart->heightForWidth(width)
                                                                  : m_chart->sizeHint().height());
        QCoreApplication::processEvents();
    }

private slots:
    void init() {
        m_chart = std::make_unique<AllocationChart>();
        m_chart->resize(900, 400);
        m_chart->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_chart.get()));
    }
    void cleanup() { m_chart.reset(); }

    void ownersStackInOneOrderWithOneColour() {
        m_chart->setData(sampleRows(), sampleOwners());
        fit();
        // Every row lists its owners in an order compatible with this one.
        QCOMPARE(m_chart->ownerOrder(),
                 QStringList({QStringLiteral("llama"), QStringLiteral("mistral"),
                              QStringLiteral("whisper"), QStringLiteral("trainer"),
                              QStringLiteral("embedder")}));
        QSet<QRgb> colours;
        for (const QString &owner : m_chart->ownerOrder()) {
            QVERIFY(m_chart->ownerColor(owner).isValid());
            colours.insert(m_chart->ownerColor(owner).rgb());
        }
        QCOMPARE(colours.size(), 5);
        QVERIFY(!m_chart->ownerColor(QStringLiteral("nobody")).isValid());

        const QImage image = m_chart->grab().toImage();
        const auto &rows = m_chart->rows();
        for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
            int previousRight = -1;
            for (const QString &owner : m_chart->ownerOrder()) {
                const QRect rect = m_chart->segmentRect(r, owner);
                bool has = false;
                for (const AllocationSegment &s : rows[static_cast<std::size_t>(r)].used)
                    has |= s.owner == owner;
                QCOMPARE(rect.isEmpty(), !has);
                if (!has)
                    continue;
                // Left to right in the common order, each starting where the previous ended.
                if (previousRight >= 0)
                    QVERIFY2(std::abs(rect.left() - (previousRight + 1)) <= 1,
                             qPrintable(QStringLiteral("row %1 owner %2").arg(r).arg(owner)));
                previousRight = rect.right();
                // What is drawn there has the owner's colour (left of any segment label).
                const QPoint probe(rect.left() + 2, rect.top() + 3);
                QCOMPARE(QColor(image.pixel(probe)).name(), m_chart->ownerColor(owner).name());
            }
        }

        // Colours stay with their owners when the data changes.
        const QColor llama = m_chart->ownerColor(QStringLiteral("llama"));
        const QColor embedder = m_chart->ownerColor(QStringLiteral("embedder"));
        std::vector<AllocationRow> next = sampleRows();
        next[0].used.insert(next[0].used.begin(), seg(QStringLiteral("newcomer"), 1));
        for (AllocationRow &row : next)
            std::erase_if(row.used, [](const AllocationSegment &s) {
                return s.owner == QStringLiteral("mistral");
            });
        m_chart->setData(next, sampleOwners());
        QCOMPARE(m_chart->ownerColor(QStringLiteral("llama")), llama);
        QCOMPARE(m_chart->ownerColor(QStringLiteral("embedder")), embedder);
        QVERIFY(m_chart->ownerColor(QStringLiteral("newcomer")) != llama);
        QCOMPARE(m_chart->ownerOrder().front(), QStringLiteral("newcomer"));
        QVERIFY(
            m_chart->ownerOrder().contains(QStringLiteral("mistral"))); // listed, so in the legend
    }

    void rowsDisagreeingOnOrderStillStackOnce() {
        std::vector<AllocationRow> rows(2);
        rows[0].label = QStringLiteral("a");
        rows[0].used = {seg(QStringLiteral("x"), 1), seg(QStringLiteral("y"), 1)};
        rows[1].label = QStringLiteral("b");
        rows[1].used = {seg(QStringLiteral("y"), 1), seg(QStringLiteral("x"), 1),
                        seg(QStringLiteral("x"), 2)}; // a repeated owner adds up
        m_chart->setData(rows);
        fit();
        const QStringList order = m_chart->ownerOrder();
        QCOMPARE(order.size(), 2);
        for (int r = 0; r < 2; ++r)
            QVERIFY(m_chart->segmentRect(r, order.at(0)).left() <
                    m_chart->segmentRect(r, order.at(1)).left());
        QVERIFY(m_chart->segmentRect(1, QStringLiteral("x")).width() >
                m_chart->segmentRect(1, QStringLiteral("y")).width() * 2);
    }

    void ownerAtAgreesWithSegmentRects() {
        m_chart->setData(sampleRows(), sampleOwners());
        fit();
        const auto &rows = m_chart->rows();
        for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
            for (const AllocationSegment &s : rows[static_cast<std::size_t>(r)].used) {
                const QRect rect = m_chart->segmentRect(r, s.owner);
                QVERIFY(!rect.isEmpty());
                QCOMPARE(m_chart->ownerAt(rect.center()), s.owner);
                QCOMPARE(m_chart->rowAt(rect.center()), r);
            }
        }
        // Row 0: 6 of 8 used, the free part between the last segment and the marker.
        const QRect mistral = m_chart->segmentRect(0, QStringLiteral("mistral"));
        const QLine marker = m_chart->capacityMarker(0);
        QVERIFY(marker.x1() > mistral.right() + 10);
        const QPoint free((mistral.right() + marker.x1()) / 2, mistral.center().y());
        QCOMPARE(m_chart->ownerAt(free), QString());
        QCOMPARE(m_chart->rowAt(free), 0);
        QCOMPARE(m_chart->toolTipAt(free), QStringLiteral("Free: 2\nzone us-east-1a"));
        // Row 2's unavailable part follows its free part.
        const QRect mistral2 = m_chart->segmentRect(2, QStringLiteral("mistral"));
        const QLine marker2 = m_chart->capacityMarker(2);
        const QPoint cordoned(marker2.x1() - 5, mistral2.center().y());
        QCOMPARE(m_chart->ownerAt(cordoned), QString());
        QCOMPARE(m_chart->toolTipAt(cordoned),
                 QStringLiteral("Unavailable: 4\ncordoned: driver upgrade"));
        // Tooltips: the segment's own, or "<owner label>: <value>".
        QCOMPARE(m_chart->toolTipAt(mistral.center()), QStringLiteral("serving/mistral-7b: 2"));
        QCOMPARE(m_chart->toolTipAt(m_chart->segmentRect(3, QStringLiteral("trainer")).center()),
                 QStringLiteral("trainer-0: 8 GPUs"));
        // The label on the left and the space above the bars belong to no owner.
        const QPoint label(30, mistral.center().y());
        QCOMPARE(m_chart->ownerAt(label), QString());
        QCOMPARE(m_chart->rowAt(label), 0);
        QVERIFY(m_chart->toolTipAt(label).startsWith(QStringLiteral("gpu-a100-0: 6 used of 8")));
        QCOMPARE(m_chart->ownerAt(QPoint(mistral.center().x(), 1)), QString());
        QCOMPARE(m_chart->rowAt(QPoint(mistral.center().x(), 1)), -1);
        QCOMPARE(m_chart->segmentRect(0, QStringLiteral("trainer")), QRect());
        QCOMPARE(m_chart->segmentRect(99, QStringLiteral("llama")), QRect());
    }

    void groupsOrderRowsUnderHeadings() {
        std::vector<AllocationRow> rows(4);
        rows[0] = {
            QStringLiteral("a"), QStringLiteral("g1"), {seg(QStringLiteral("o"), 1)}, 1, 0, 0, {}};
        rows[1] = {
            QStringLiteral("b"), QStringLiteral("g2"), {seg(QStringLiteral("o"), 1)}, 1, 0, 0, {}};
        rows[2] = {
            QStringLiteral("c"), QStringLiteral("g1"), {seg(QStringLiteral("o"), 1)}, 1, 0, 0, {}};
        rows[3] = {QStringLiteral("d"), QString(), {seg(QStringLiteral("o"), 1)}, 1, 0, 0, {}};
        m_chart->setData(rows);
        fit();
        const auto y = [this](int row) {
            return m_chart->segmentRect(row, QStringLiteral("o")).top();
        };
        // Ungrouped first, then g1 (a, c), then g2; each heading takes a row of its own.
        QVERIFY(y(3) < y(0));
        QVERIFY(y(0) < y(2));
        QVERIFY(y(2) < y(1));
        QCOMPARE(y(2) - y(0), AllocationChart::kRowHeight);
        QCOMPARE(y(1) - y(2), 2 * AllocationChart::kRowHeight);
        QCOMPARE(y(0) - y(3), 2 * AllocationChart::kRowHeight);
    }

    void clickOnSegmentEmitsOwnerAndRow() {
        m_chart->setData(sampleRows(), sampleOwners());
        fit();
        QSignalSpy clicked(m_chart.get(), &AllocationChart::ownerClicked);
        const QRect whisper = m_chart->segmentRect(6, QStringLiteral("whisper"));
        clickAt(m_chart.get(), whisper.center());
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.at(0).at(0).toString(), QStringLiteral("whisper"));
        QCOMPARE(clicked.at(0).at(1).toInt(), 6);
        const QRect llama = m_chart->segmentRect(1, QStringLiteral("llama"));
        clickAt(m_chart.get(), llama.center());
        QCOMPARE(clicked.size(), 2);
        QCOMPARE(clicked.at(1).at(0).toString(), QStringLiteral("llama"));
        QCOMPARE(clicked.at(1).at(1).toInt(), 1);
        // Free parts and labels are not owners.
        const QLine marker = m_chart->capacityMarker(7);
        const QRect embedder = m_chart->segmentRect(7, QStringLiteral("embedder"));
        clickAt(m_chart.get(), QPoint((embedder.right() + marker.x1()) / 2, embedder.center().y()));
        clickAt(m_chart.get(), QPoint(30, embedder.center().y()));
        QCOMPARE(clicked.size(), 2);
    }

    void hoverEmitsSegmentHovered() {
        m_chart->setData(sampleRows(), sampleOwners());
        fit();
        QSignalSpy hovered(m_chart.get(), &AllocationChart::segmentHovered);
        const QRect trainer = m_chart->segmentRect(4, QStringLiteral("trainer"));
        moveTo(m_chart.get(), QPoint(30, trainer.center().y()));
        moveTo(m_chart.get(), trainer.center());
        QTRY_VERIFY(!hovered.isEmpty());
        QCOMPARE(hovered.back().at(0).toString(), QStringLiteral("trainer"));
        QCOMPARE(hovered.back().at(1).toInt(), 4);
        // Onto the free part: no owner, same row.
        const QRect embedder = m_chart->segmentRect(4, QStringLiteral("embedder"));
        const QLine marker = m_chart->capacityMarker(4);
        moveTo(m_chart.get(), QPoint((embedder.right() + marker.x1()) / 2, embedder.center().y()));
        QTRY_COMPARE(hovered.back().at(0).toString(), QString());
        QCOMPARE(hovered.back().at(1).toInt(), 4);
        // Off the bars.
        moveTo(m_chart.get(), QPoint(30, embedder.center().y()));
        QTRY_COMPARE(hovered.back().at(1).toInt(), -1);
    }

    void capacityMarkerSitsAtTheCapacity() {
        m_chart->setData(sampleRows(), sampleOwners());
        fit();
        // Row 1 is fully used: the marker is where the last segment ends.
        const QRect llama = m_chart->segmentRect(1, QStringLiteral("llama"));
        const QRect whisper = m_chart->segmentRect(1, QStringLiteral("whisper"));
        const QLine full = m_chart->capacityMarker(1);
        QVERIFY(!full.isNull());
        QCOMPARE(full.x1(), full.x2());
        QVERIFY(std::abs(full.x1() - (whisper.right() + 1)) <= 1);
        QVERIFY(full.y1() < whisper.top() && full.y2() > whisper.bottom());
        // Both 8-GPU segments are 4 wide: the scale is linear from the bar's start.
        QVERIFY(std::abs(llama.width() - whisper.width()) <= 1);
        // Row 7 has capacity 4: its marker is halfway to row 1's.
        const QLine half = m_chart->capacityMarker(7);
        QVERIFY(std::abs((half.x1() - llama.left()) * 2 - (full.x1() - llama.left())) <= 2);
        // A capacity larger than the parts puts the marker beyond the bar's end.
        std::vector<AllocationRow> rows(1);
        rows[0].used = {seg(QStringLiteral("o"), 3)};
        rows[0].capacity = 6;
        m_chart->setData(rows);
        fit();
        const QRect o = m_chart->segmentRect(0, QStringLiteral("o"));
        const QLine marker = m_chart->capacityMarker(0);
        QVERIFY(std::abs((marker.x1() - o.left()) - 2 * o.width()) <= 2);
    }

    void oddDataIsSurvived() {
        const int emptyHeight = m_chart->sizeHint().height();
        m_chart->setData({});
        fit();
        QCOMPARE(m_chart->ownerOrder(), QStringList());
        QCOMPARE(m_chart->ownerAt(QPoint(200, 100)), QString());
        QCOMPARE(m_chart->rowAt(QPoint(200, 100)), -1);
        QCOMPARE(m_chart->toolTipAt(QPoint(200, 100)), QString());
        QCOMPARE(m_chart->capacityMarker(0), QLine());
        QVERIFY(!m_chart->grab().isNull());

        // Zero capacity, nothing at all, invalid and huge values.
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        std::vector<AllocationRow> rows(5);
        rows[0].label = QStringLiteral("zero");
        rows[1].label = QStringLiteral("zero-capacity");
        rows[1].used = {seg(QStringLiteral("o"), 0)};
        rows[2].label = QStringLiteral("invalid");
        rows[2].used = {seg(QStringLiteral("o"), nan), seg(QStringLiteral("p"), -3),
                        seg(QString(), 2)};
        rows[2].free = inf;
        rows[2].capacity = -inf;
        rows[3].label = QStringLiteral("huge");
        rows[3].used = {seg(QStringLiteral("o"), 1e300), seg(QStringLiteral("p"), 1e300)};
        rows[3].free = std::numeric_limits<double>::max();
        rows[4].label = QStringLiteral("small");
        rows[4].used = {seg(QStringLiteral("p"), 1)};
        rows[4].capacity = 8;
        m_chart->setData(rows);
        fit();
        QCOMPARE(m_chart->capacityMarker(0), QLine());
        QCOMPARE(m_chart->segmentRect(1, QStringLiteral("o")), QRect());
        QCOMPARE(m_chart->segmentRect(2, QStringLiteral("o")), QRect());
        const QRect huge = m_chart->segmentRect(3, QStringLiteral("o"));
        QVERIFY(!huge.isEmpty());
        QCOMPARE(m_chart->ownerAt(huge.center()), QStringLiteral("o"));
        QVERIFY(!m_chart->grab().isNull());
        QVERIFY(m_chart->sizeHint().height() >= emptyHeight);
    }

    void heightGrowsWithRowsAndScrolls() {
        QScrollArea area;
        area.setWidgetResizable(true);
        auto *chart = new AllocationChart;
        area.setWidget(chart);
        area.resize(900, 600);
        area.show();
        QVERIFY(QTest::qWaitForWindowExposed(&area));

        const auto make = [](int count) {
            std::vector<AllocationRow> rows;
            for (int i = 0; i < count; ++i) {
                AllocationRow row;
                row.label = QStringLiteral("node-%1").arg(i);
                row.group = QStringLiteral("pool-%1").arg(i / 20);
                for (int k = 0; k < 5; ++k)
                    row.used.push_back(
                        seg(QStringLiteral("owner-%1").arg((i * 7 + k * 11) % 50), 1));
                row.free = i % 3;
                row.unavailable = i % 10 == 0 ? 2 : 0;
                rows.push_back(std::move(row));
            }
            return rows;
        };
        chart->setData(make(10));
        QCoreApplication::processEvents();
        const int small = chart->height();
        QElapsedTimer timer;
        timer.start();
        chart->setData(make(200));
        QCoreApplication::processEvents();
        qInfo("200 rows, %lld owners: setData and layout took %lld ms",
              static_cast<long long>(chart->ownerOrder().size()),
              static_cast<long long>(timer.elapsed()));
        QCOMPARE(chart->ownerOrder().size(), 50);
        // A refresh with the same data, and one with a single value changed.
        timer.restart();
        chart->setData(make(200));
        QCoreApplication::processEvents();
        const qint64 same = timer.restart();
        auto changed = make(200);
        const QString grown = changed[17].used[2].owner;
        const int before = chart->segmentRect(17, grown).width();
        changed[17].used[2].value = 2;
        timer.restart();
        chart->setData(changed);
        QCoreApplication::processEvents();
        qInfo("refresh: unchanged %lld ms, one value changed %lld ms", static_cast<long long>(same),
              static_cast<long long>(timer.elapsed()));
        // The bars drawn follow the refresh: the grown segment is twice as wide, in its colour.
        const QRect wide = chart->segmentRect(17, grown);
        QVERIFY(std::abs(wide.width() - 2 * before) <= 2);
        QCOMPARE(chart->ownerAt(wide.center()), grown);
        const QRect around = wide.adjusted(-4, -4, 4, 4);
        const QImage pixels = chart->grab(around).toImage();
        QCOMPARE(QColor(pixels.pixel(wide.right() - 2 - around.left(), 7)).name(),
                 chart->ownerColor(grown).name());

        // The chart leaves the wheel to the page around it (a real, spontaneous wheel event that
        // is ignored goes on to the parents; a sent one stops, so check that it is ignored).
        const QPoint over = chart->segmentRect(3, chart->rows()[3].used.front().owner).center();
        QWidget *viewport = chart->childAt(over);
        QVERIFY(viewport);
        const QPoint local = viewport->mapFrom(chart, over);
        QWheelEvent wheel(local, viewport->mapToGlobal(local), QPoint(), QPoint(0, -120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(viewport, &wheel);
        QVERIFY(!wheel.isAccepted());
        QVERIFY(chart->height() >= small + 190 * AllocationChart::kRowHeight);
        QVERIFY(area.verticalScrollBar()->maximum() > 0);
        timer.restart();
        QVERIFY(!chart->grab(QRect(0, 0, 900, 600)).isNull());
        qInfo("painting 600 px took %lld ms", static_cast<long long>(timer.elapsed()));
        // The last row is where it should be and answers.
        const QString owner = chart->rows().back().used.front().owner;
        const QRect last = chart->segmentRect(199, owner);
        QVERIFY(last.bottom() < chart->height());
        QCOMPARE(chart->ownerAt(last.center()), owner);
    }

    void screenshots() {
        m_chart->setData(sampleRows(), sampleOwners());
        fit(820);
        QVERIFY(
            kd::testing::saveScreenshot(m_chart.get(), QStringLiteral("allocationchart-light")));
        const QColor lightCorner = m_chart->grab().toImage().pixelColor(1, 1);
        m_chart->setDark(true);
        QVERIFY(m_chart->isDark());
        QCoreApplication::processEvents();
        const QImage dark = m_chart->grab().toImage();
        QVERIFY(lightCorner.lightness() > 200);
        QVERIFY(dark.pixelColor(1, 1).lightness() < 60);
        // Owners keep their colours in the dark.
        const QRect llama = m_chart->segmentRect(0, QStringLiteral("llama"));
        QCOMPARE(dark.pixelColor(llama.left() + 2, llama.top() + 3).name(),
                 m_chart->ownerColor(QStringLiteral("llama")).name());
        QVERIFY(kd::testing::saveScreenshot(m_chart.get(), QStringLiteral("allocationchart-dark")));
    }
};

QTEST_MAIN(TstAllocationChart)
#include "tst_allocationchart.moc"
