#pragma once
// The details of the selected object: overview (status, conditions, labels, owners), its events,
// and its YAML (read-only; managedFields are never cached, so never shown).

#include "kube/kubeobject.h"

#include <QTabWidget>

#include <vector>

class QPlainTextEdit;
class QTableWidget;
class QTextBrowser;

namespace kd::ui {

class DetailsPane final : public QTabWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailsPane)

public:
    explicit DetailsPane(QWidget *parent = nullptr);

    // Shows `object` (of kind `kindKey`) with `events` about it, newest last.
    void showObject(const QString &kindKey, const kube::ObjectPtr &object,
                    const std::vector<kube::ObjectPtr> &events);
    void clearObject();
    kube::ObjectPtr object() const { return m_object; }

private:
    kube::ObjectPtr m_object;
    QTextBrowser *m_overview;
    QTableWidget *m_events;
    QPlainTextEdit *m_yaml;
};

} // namespace kd::ui
