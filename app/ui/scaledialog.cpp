#include "ui/scaledialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kd::ui {

ScaleDialog::ScaleDialog(const Target &target, QWidget *parent)
    : QDialog(parent)
    , m_target(target)
    , m_spin(new QSpinBox(this))
    , m_hint(new QLabel(this)) {
    setObjectName(QStringLiteral("scaleDialog"));
    setWindowTitle(tr("Scale %1 %2").arg(target.kind, target.name));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->addRow(tr("Namespace:"), new QLabel(target.namespaceName, this));
    form->addRow(tr("Current replicas:"), new QLabel(QString::number(target.current), this));
    m_spin->setObjectName(QStringLiteral("replicasSpin"));
    m_spin->setRange(0, 100000);
    m_spin->setValue(target.current);
    form->addRow(tr("New replicas:"), m_spin);
    layout->addLayout(form);
    m_hint->setObjectName(QStringLiteral("scaleHint"));
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    if (!target.hpaName.isEmpty()) {
        auto *warning = new QLabel(
            tr("<b>The HorizontalPodAutoscaler \"%1\" manages this replica count</b> "
               "(min %2, max %3). It will change a manual scale back at its next sync: change "
               "the HPA's minReplicas/maxReplicas instead.")
                .arg(target.hpaName.toHtmlEscaped())
                .arg(target.hpaMin)
                .arg(target.hpaMax),
            this);
        warning->setObjectName(QStringLiteral("hpaWarning"));
        warning->setWordWrap(true);
        warning->setStyleSheet(
            QStringLiteral("background:#fff4e5; color:#663c00; padding:6px; border-radius:4px;"));
        layout->addWidget(warning);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Scale"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_spin, &QSpinBox::valueChanged, this, &ScaleDialog::updateHint);
    updateHint();
}

int ScaleDialog::replicas() const {
    return m_spin->value();
}

void ScaleDialog::setReplicas(int replicas) {
    m_spin->setValue(replicas);
}

void ScaleDialog::updateHint() {
    int delta = m_spin->value() - m_target.current;
    QString text;
    if (delta == 0)
        text = tr("No change.");
    else if (delta > 0)
        text = tr("Adds %n pod(s).", nullptr, delta);
    else
        text = tr("Removes %n pod(s).", nullptr, -delta);
    if (m_target.gpusPerPod > 0 && delta != 0)
        text += QLatin1Char(' ') +
                (delta > 0 ? tr("They need %1 more GPU(s) in all.") : tr("Frees %1 GPU(s)."))
                    .arg(m_target.gpusPerPod * std::abs(delta));
    if (m_spin->value() == 0)
        text += QLatin1Char(' ') + tr("Scaling to 0 stops serving this model.");
    m_hint->setText(text);
}

} // namespace kd::ui
