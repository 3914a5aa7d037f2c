#include "ui/detailspane.h"

#include <QScrollBar>

#include "manifest/yamlemit.h"
#include "model/display.h"
#include "semantics/jsonpath.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTextBrowser>

namespace kd::ui {

using kube::Json;
using model::jsonString;
using semantics::jsonAt;

namespace {

QString esc(const QString &s) {
    return s.toHtmlEscaped();
}

QString mapTable(const Json &map) {
    if (!map.is_object() || map.empty())
        return QStringLiteral("<p><i>none</i></p>");
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    for (auto it = map.begin(); it != map.end(); ++it)
        html += QStringLiteral("<tr><td><tt>%1</tt></td><td>%2</td></tr>")
                    .arg(esc(QString::fromStdString(it.key())),
                         esc(it->is_string()
                                 ? QString::fromStdString(it->get_ref<const std::string &>())
                                 : QString::fromStdString(it->dump())));
    return html + QStringLiteral("</table>");
}

QString conditionsTable(const Json &conditions) {
    if (!conditions.is_array() || conditions.empty())
        return QStringLiteral("<p><i>none</i></p>");
    QString html = QStringLiteral(
        "<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse'>"
        "<tr><th>Type</th><th>Status</th><th>Reason</th><th>Message</th></tr>");
    for (const Json &c : conditions) {
        QString status = jsonString(c, {"status"});
        QString colour =
            status == QLatin1String("True") ? QStringLiteral("#1b7f3b") : QStringLiteral("#b26a00");
        html += QStringLiteral("<tr><td>%1</td><td style='color:%2'>%3</td><td>%4</td>"
                               "<td>%5</td></tr>")
                    .arg(esc(jsonString(c, {"type"})), colour, esc(status),
                         esc(jsonString(c, {"reason"})), esc(jsonString(c, {"message"})));
    }
    return html + QStringLiteral("</table>");
}

QString summary(const QString &kindKey, const Json &o) {
    QStringList rows;
    auto row = [&rows](const QString &key, const QString &value) {
        if (!value.isEmpty())
            rows << QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(key, esc(value));
    };
    QDateTime now = QDateTime::currentDateTimeUtc();
    row(QStringLiteral("Age"), model::ageText(o, now));
    if (kindKey == QLatin1String("pods")) {
        row(QStringLiteral("Status"), model::podStatusText(o));
        row(QStringLiteral("Ready"), model::podReadyText(o));
        row(QStringLiteral("Restarts"), QString::number(model::podRestarts(o)));
        row(QStringLiteral("Node"), jsonString(o, {"spec", "nodeName"}));
        row(QStringLiteral("Pod IP"), jsonString(o, {"status", "podIP"}));
        row(QStringLiteral("GPU requests"), model::gpuRequestText(jsonAt(o, {"spec"})));
    } else if (kindKey == QLatin1String("nodes")) {
        row(QStringLiteral("Status"), model::nodeStatusText(o));
        row(QStringLiteral("GPU product"),
            jsonString(o, {"metadata", "labels", "nvidia.com/gpu.product"}));
    } else if (jsonAt(o, {"spec", "replicas"}).is_number_integer()) {
        row(QStringLiteral("Replicas"),
            QStringLiteral("%1 desired, %2 updated, %3 ready, %4 available")
                .arg(model::jsonInt(o, {"spec", "replicas"}))
                .arg(model::jsonInt(o, {"status", "updatedReplicas"}))
                .arg(model::jsonInt(o, {"status", "readyReplicas"}))
                .arg(model::jsonInt(o, {"status", "availableReplicas"})));
        row(QStringLiteral("GPU requests per pod"),
            model::gpuRequestText(jsonAt(o, {"spec", "template", "spec"})));
        row(QStringLiteral("Strategy"), jsonString(o, {"spec", "strategy", "type"}));
    }
    if (const Json &owners = jsonAt(o, {"metadata", "ownerReferences"}); owners.is_array())
        for (const Json &ref : owners)
            row(QStringLiteral("Owner"),
                jsonString(ref, {"kind"}) + QLatin1Char('/') + jsonString(ref, {"name"}));
    return QStringLiteral("<table cellpadding='2'>") + rows.join(QString()) +
           QStringLiteral("</table>");
}

} // namespace

DetailsPane::DetailsPane(QWidget *parent)
    : QTabWidget(parent)
    , m_overview(new QTextBrowser(this))
    , m_events(new QTableWidget(this))
    , m_yaml(new QPlainTextEdit(this)) {
    setObjectName(QStringLiteral("detailsPane"));
    m_overview->setObjectName(QStringLiteral("detailsOverview"));
    m_overview->setOpenLinks(false);
    m_events->setObjectName(QStringLiteral("detailsEvents"));
    m_events->setColumnCount(4);
    m_events->setHorizontalHeaderLabels({tr("Last seen"), tr("Type"), tr("Reason"), tr("Message")});
    m_events->horizontalHeader()->setStretchLastSection(true);
    m_events->verticalHeader()->hide();
    m_events->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_events->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_yaml->setObjectName(QStringLiteral("detailsYaml"));
    m_yaml->setReadOnly(true);
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    addTab(m_overview, tr("Overview"));
    addTab(m_events, tr("Events"));
    addTab(m_yaml, tr("YAML"));
    clearObject();
}

void DetailsPane::clearObject() {
    m_object.reset();
    m_overview->setHtml(tr("<p><i>Select an object to see its details.</i></p>"));
    m_events->setRowCount(0);
    m_yaml->clear();
}

void DetailsPane::showObject(const QString &kindKey, const kube::ObjectPtr &object,
                             const std::vector<kube::ObjectPtr> &events) {
    if (!object) {
        clearObject();
        return;
    }
    bool sameObject = m_object && m_object->uid() == object->uid();
    m_object = object;
    const Json &o = object->json();
    QString title = object->kind() + QLatin1Char(' ') +
                    (object->namespaceName().isEmpty()
                         ? object->name()
                         : object->namespaceName() + QLatin1Char('/') + object->name());
    QString html = QStringLiteral("<h3>%1</h3>").arg(esc(title)) + summary(kindKey, o) +
                   QStringLiteral("<h4>%1</h4>").arg(tr("Conditions")) +
                   conditionsTable(jsonAt(o, {"status", "conditions"})) +
                   QStringLiteral("<h4>%1</h4>").arg(tr("Labels")) +
                   mapTable(jsonAt(o, {"metadata", "labels"})) +
                   QStringLiteral("<h4>%1</h4>").arg(tr("Annotations")) +
                   mapTable(jsonAt(o, {"metadata", "annotations"}));
    int scroll = m_overview->verticalScrollBar() ? m_overview->verticalScrollBar()->value() : 0;
    m_overview->setHtml(html);
    if (sameObject)
        m_overview->verticalScrollBar()->setValue(scroll);

    QDateTime now = QDateTime::currentDateTimeUtc();
    m_events->setRowCount(int(events.size()));
    for (int row = 0; row < int(events.size()); ++row) {
        const Json &ev = events[std::size_t(row)]->json();
        QString lastSeen;
        for (const char *field : {"lastTimestamp", "eventTime", "firstTimestamp"})
            if (QDateTime t = model::parseTimestamp(jsonAt(ev, {field})); t.isValid()) {
                lastSeen = model::humanDuration(t.secsTo(now));
                break;
            }
        QString count = model::jsonInt(ev, {"count"}) > 1
                            ? QStringLiteral(" (x%1)").arg(model::jsonInt(ev, {"count"}))
                            : QString();
        const QStringList cells = {lastSeen + count, jsonString(ev, {"type"}),
                                   jsonString(ev, {"reason"}), jsonString(ev, {"message"})};
        for (int c = 0; c < cells.size(); ++c)
            m_events->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    m_events->resizeColumnsToContents();
    setTabText(indexOf(m_events),
               events.empty() ? tr("Events") : tr("Events (%1)").arg(events.size()));

    QString yaml = QString::fromStdString(manifest::toYaml(o));
    if (yaml != m_yaml->toPlainText()) {
        int yamlScroll = m_yaml->verticalScrollBar()->value();
        m_yaml->setPlainText(yaml);
        if (sameObject)
            m_yaml->verticalScrollBar()->setValue(yamlScroll);
    }
}

} // namespace kd::ui
