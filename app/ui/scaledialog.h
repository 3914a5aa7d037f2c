#pragma once
// Asks for a new replica count. When a HorizontalPodAutoscaler owns the count, says so and points
// at it: a manual scale would be undone by the HPA at its next sync.

#include <QDialog>

class QLabel;
class QSpinBox;

namespace kd::ui {

class ScaleDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScaleDialog)

public:
    struct Target {
        QString kind; // "Deployment", "StatefulSet", "ReplicaSet"
        QString namespaceName;
        QString name;
        int current = 0;
        QString hpaName; // "" when no HPA targets it
        int hpaMin = 0;
        int hpaMax = 0;
        qint64 gpusPerPod = 0;
    };

    explicit ScaleDialog(const Target &target, QWidget *parent = nullptr);
    int replicas() const;
    void setReplicas(int replicas);

private:
    void updateHint();

    Target m_target;
    QSpinBox *m_spin;
    QLabel *m_hint;
};

} // namespace kd::ui
