// The GPU pane's "what if": a Deployment with another replica count, or with another GPU request
// per pod, placed on the cluster as it is now with the scheduler's own functions. The same
// replica count maths and placement as drag-to-scale, so both say the same.
#include "ui/gpupane.h"

#include "model/gpuledger.h"
#include "model/scaleprediction.h"
#include "semantics/jsonpath.h"
#include "semantics/resources.h"
#include "semantics/scalefeasibility.h"
#include "semantics/scheduling.h"
#include "ui/connection.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kd::ui {

namespace {

const QString kDeployments = QStringLiteral("deployments.apps");

struct GpuTemplate {
    semantics::PodNeeds pod;
    std::string resource; // the template's GPU or MIG resource, "" when it asks for none
    int units = 0;
    int replicas = 0;
};

GpuTemplate gpuTemplateOf(const kube::KubeObject &deployment) {
    GpuTemplate t;
    const kube::Json &json = deployment.json();
    t.pod = semantics::fromPodTemplateJson(semantics::jsonAt(json, {"spec", "template"}),
                                           deployment.namespaceName().toStdString());
    for (const auto &[name, amount] : t.pod.requests)
        if (semantics::isGpuResource(name) && amount > 0) {
            t.resource = name;
            t.units = static_cast<int>(amount / 1000);
            break;
        }
    const kube::Json &replicas = semantics::jsonAt(json, {"spec", "replicas"});
    t.replicas = replicas.is_number_integer() ? replicas.get<int>() : 1;
    return t;
}

QString html(const std::string &text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

} // namespace

QWidget *GpuPane::buildWhatIf() {
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("gpuWhatIf"));
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *intro = new QLabel(
        tr("Where would the pods go? Places a Deployment's pods on the cluster as it is now, "
           "with the scheduler's own rules. Nothing in the cluster changes."),
        page);
    intro->setWordWrap(true);
    auto *row = new QHBoxLayout;
    m_whatIfWorkload = new QComboBox(page);
    m_whatIfWorkload->setObjectName(QStringLiteral("gpuWhatIfWorkload"));
    m_whatIfWorkload->setMinimumContentsLength(24);
    m_whatIfWorkload->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_whatIfReplicas = new QSpinBox(page);
    m_whatIfReplicas->setObjectName(QStringLiteral("gpuWhatIfReplicas"));
    m_whatIfReplicas->setRange(0, 10000);
    m_whatIfGpus = new QSpinBox(page);
    m_whatIfGpus->setObjectName(QStringLiteral("gpuWhatIfGpus"));
    m_whatIfGpus->setRange(1, 128);
    m_whatIfResource = new QLabel(page);
    auto *deploymentLabel = new QLabel(tr("Deployment"), page);
    deploymentLabel->setBuddy(m_whatIfWorkload);
    auto *replicasLabel = new QLabel(tr("Replicas"), page);
    replicasLabel->setBuddy(m_whatIfReplicas);
    auto *gpusLabel = new QLabel(tr("GPUs per pod"), page);
    gpusLabel->setBuddy(m_whatIfGpus);
    row->addWidget(deploymentLabel);
    row->addWidget(m_whatIfWorkload, 1);
    row->addSpacing(8);
    row->addWidget(replicasLabel);
    row->addWidget(m_whatIfReplicas);
    row->addSpacing(8);
    row->addWidget(gpusLabel);
    row->addWidget(m_whatIfGpus);
    row->addWidget(m_whatIfResource);
    m_whatIfResult = new QLabel(page);
    m_whatIfResult->setObjectName(QStringLiteral("gpuWhatIfResult"));
    m_whatIfResult->setWordWrap(true);
    m_whatIfResult->setTextFormat(Qt::RichText);
    m_whatIfResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_whatIfResult->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto *scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_whatIfResult);
    // On the page's background, not the scroll area's.
    m_whatIfResult->setAutoFillBackground(false);
    scroll->viewport()->setAutoFillBackground(false);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(scroll, 1);

    connect(m_whatIfWorkload, &QComboBox::currentIndexChanged, this,
            &GpuPane::onWhatIfWorkloadPicked);
    connect(m_whatIfReplicas, &QSpinBox::valueChanged, this, &GpuPane::updateWhatIf);
    connect(m_whatIfGpus, &QSpinBox::valueChanged, this, &GpuPane::updateWhatIf);
    return page;
}

void GpuPane::refreshWhatIf() {
    if (m_workloadsDirty)
        updateWhatIfChoices();
    updateWhatIf();
}

void GpuPane::updateWhatIfChoices() {
    m_workloadsDirty = false;
    QStringList keys;
    QStringList labels;
    for (const kube::ObjectPtr &d : m_connection->store()->list(kDeployments)) {
        const GpuTemplate t = gpuTemplateOf(*d);
        if (t.resource.empty())
            continue;
        keys << d->namespaceName() + u'/' + d->name();
        labels << tr("%1/%2 — %3 × %4 %5")
                      .arg(d->namespaceName(), d->name(),
                           counted(t.replicas, tr("replica"), tr("replicas")))
                      .arg(t.units)
                      .arg(QString::fromStdString(t.resource));
    }
    QStringList shown;
    for (int i = 0; i < m_whatIfWorkload->count(); ++i)
        shown << m_whatIfWorkload->itemData(i).toString();
    if (shown == keys) {
        for (int i = 0; i < labels.size(); ++i)
            m_whatIfWorkload->setItemText(i, labels[i]);
        return;
    }
    const QString previous = m_whatIfWorkload->currentData().toString();
    QString current = previous;
    if (!keys.contains(current)) {
        // First the workload that is stuck: the owner of the first Pending GPU pod.
        current.clear();
        for (const model::PendingGpuPod &p : m_ledger->pendingPods())
            if (p.ownerKind == QLatin1String("Deployment") &&
                keys.contains(p.namespaceName + u'/' + p.ownerName)) {
                current = p.namespaceName + u'/' + p.ownerName;
                break;
            }
    }
    {
        const QSignalBlocker block(m_whatIfWorkload);
        m_whatIfWorkload->clear();
        for (int i = 0; i < keys.size(); ++i)
            m_whatIfWorkload->addItem(labels[i], keys[i]);
        m_whatIfWorkload->setCurrentIndex(std::max(0, static_cast<int>(keys.indexOf(current))));
    }
    if (m_whatIfWorkload->currentData().toString() != previous || previous.isEmpty())
        onWhatIfWorkloadPicked();
}

bool GpuPane::setWhatIfWorkload(const QString &ns, const QString &name) {
    if (m_workloadsDirty)
        updateWhatIfChoices();
    const int index = m_whatIfWorkload->findData(ns + u'/' + name);
    if (index < 0)
        return false;
    if (index == m_whatIfWorkload->currentIndex())
        onWhatIfWorkloadPicked();
    else
        m_whatIfWorkload->setCurrentIndex(index);
    return true;
}

void GpuPane::onWhatIfWorkloadPicked() {
    const QString key = m_whatIfWorkload->currentData().toString();
    const kube::ObjectPtr d =
        m_connection->store()->get(kDeployments, key.section(u'/', 0, 0), key.section(u'/', 1));
    if (d) {
        const GpuTemplate t = gpuTemplateOf(*d);
        const QSignalBlocker blockReplicas(m_whatIfReplicas);
        const QSignalBlocker blockGpus(m_whatIfGpus);
        // One more than now: "is there room for another?" is the first question.
        m_whatIfReplicas->setValue(t.replicas + 1);
        m_whatIfReplicas->setToolTip(
            tr("%1 now").arg(counted(t.replicas, tr("replica"), tr("replicas"))));
        m_whatIfGpus->setValue(std::max(1, t.units));
        m_whatIfGpus->setToolTip(tr("The template asks for %1 now").arg(t.units));
        m_whatIfResource->setText(QString::fromStdString(t.resource));
    }
    updateWhatIf();
}

QString GpuPane::whatIfText() const {
    return m_whatIfResult->text();
}

void GpuPane::updateWhatIf() {
    const bool any = m_whatIfWorkload->count() > 0;
    m_whatIfReplicas->setEnabled(any);
    m_whatIfGpus->setEnabled(any);
    if (!any) {
        m_whatIfResult->setText(tr("No Deployment in this cluster asks for GPUs."));
        return;
    }
    const QString key = m_whatIfWorkload->currentData().toString();
    m_whatIfResult->setText(predictWhatIf(key.section(u'/', 0, 0), key.section(u'/', 1),
                                          m_whatIfReplicas->value(), m_whatIfGpus->value()));
}

QString GpuPane::predictWhatIf(const QString &ns, const QString &name, int replicas,
                               int gpus) const {
    model::ObjectStore *store = m_connection->store();
    const kube::ObjectPtr d = store->get(kDeployments, ns, name);
    if (!d)
        return tr("Deployment %1/%2 is no longer in the cluster.").arg(ns, name);
    GpuTemplate t = gpuTemplateOf(*d);
    if (t.resource.empty())
        return tr("Deployment %1/%2 no longer asks for GPUs.").arg(ns, name);
    semantics::ScaleFeasibility f;
    QString lead;
    const bool rollout = gpus != t.units;
    if (!rollout) {
        // Exactly what dragging the replica handle in the topology would predict.
        const model::ScalePredictor predictor(*store, kDeployments, ns, name);
        if (!predictor.isValid())
            return tr("Deployment %1/%2 is no longer in the cluster.").arg(ns, name);
        f = predictor.predict(replicas);
        lead = tr("Scaling %1 from %2 to %3 replicas")
                   .arg(name)
                   .arg(predictor.currentReplicas())
                   .arg(replicas);
    } else {
        // A rollout replaces every pod: place the new template's pods where the old ones are
        // gone, after the Pending pods the scheduler meets first.
        t.pod.requests[t.resource] = static_cast<std::int64_t>(gpus) * 1000;
        const QString owner = QStringLiteral("Deployment/%1/%2").arg(ns, name);
        f = semantics::predictScale(m_ledger->schedulerView(owner), t.pod, 0, replicas,
                                    m_ledger->pendingQueue(owner));
        const QString unit = t.resource.find("/mig-") == std::string::npos
                                 ? tr("GPUs")
                                 : QString::fromStdString(t.resource);
        lead = tr("%1 with %2 after a rollout to %3 %4 per pod")
                   .arg(name, counted(replicas, tr("replica"), tr("replicas")))
                   .arg(gpus)
                   .arg(unit);
    }
    const bool stuck = f.pending > 0;
    QString out =
        QStringLiteral("<p>%1:<br><b style='font-size:large; color:%2'>%3</b></p>")
            .arg(lead.toHtmlEscaped(),
                 stuck ? QStringLiteral("#d03434") : QStringLiteral("#2e9e4f"), html(f.summary()));
    if (!f.placed.empty()) {
        out += tr("<p>Where the new pods land:</p>") + QStringLiteral("<table cellspacing=2>");
        for (const auto &[node, count] : f.placed)
            out += QStringLiteral("<tr><td>&nbsp;&nbsp;%1</td><td>&nbsp;→&nbsp;</td>"
                                  "<td><b>%2</b></td></tr>")
                       .arg(html(node), counted(count, tr("pod"), tr("pods")));
        out += QStringLiteral("</table>");
    }
    if (stuck) {
        out += tr("<p><b>%1 would stay Pending.</b> The scheduler would say:<br><i>%2</i></p>")
                   .arg(counted(f.pending, tr("pod"), tr("pods")), html(f.pendingMessage));
    }
    if (!f.acceleratorResource.empty())
        out += tr("<p>Free %1 on schedulable nodes before these pods: %2, of which %3 on nodes "
                  "this template may use.</p>")
                   .arg(html(f.acceleratorResource))
                   .arg(f.acceleratorsFree)
                   .arg(f.acceleratorsUsable);
    if (!rollout && f.pendingNow > 0)
        out += tr("<p>%1 has %2 Pending now; afterwards: %3.</p>")
                   .arg(name.toHtmlEscaped(), counted(f.pendingNow, tr("pod"), tr("pods")))
                   .arg(f.pendingAfter());
    return out;
}

} // namespace kd::ui
