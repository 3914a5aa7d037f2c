#pragma once
// Kubedeck's main window: context picker and connection state on top, the resource browser
// (kinds → objects) in the middle, the details of the selected object on the right, and the
// actions on the selection (scale, restart, roll back, delete).

#include "kube/kubeobject.h"

#include <QMainWindow>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QTreeView;

namespace kd::model {
class KindTreeModel;
class ResourceTableModel;
} // namespace kd::model

namespace kd::ui {

class Connection;
class DetailsPane;
class EditorPane;
class GpuPane;
class ObjectActions;
class TopologyPane;

class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    struct StartOptions {
        QString kubeconfigPath;
        QString context;       // kubeconfig context name; "" = last used or current-context
        QString namespaceName; // "" = last used or the context's
        bool sandbox = false;  // connect to the built-in sandbox
        QString sandboxScenario = QStringLiteral("ml-serving");
        double sandboxSpeed = 1.0;
    };

    explicit MainWindow(StartOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Reads the kubeconfig and connects (as the options and the saved settings say).
    void start();

    Connection *connection() const { return m_connection; }
    ObjectActions *actions() const { return m_actions; }
    QTableView *table() const { return m_table; }
    TopologyPane *topology() const { return m_topology; }
    EditorPane *editor() const { return m_editor; }
    GpuPane *gpus() const { return m_gpus; }
    // Shows the resource table (0), the topology (1), the YAML editor (2) or the GPUs (3). The
    // tabs are in another order (the GPUs follow the topology); the numbers stay put.
    void showView(int index);
    // Shows a workload in the topology and selects it in the browser.
    void showWorkload(const QString &kindKey, const QString &ns, const QString &name);
    // Selects kind and object in the browser; false when the object is not shown.
    bool selectObject(const QString &kindKey, const QString &ns, const QString &name);
    void selectKind(const QString &kindKey);
    kube::ObjectPtr selectedObject() const;
    QString selectedKindKey() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void onContextsChanged();
    void onContextPicked(int index);
    void onConnectionState();
    void onNamespacePicked(int index);
    void onKindSelected();
    // Once per kind, when its first rows are there: columns as wide as their contents.
    void fitColumns();
    void onObjectSelected();
    void refreshNamespaces();
    void refreshDetails();
    void askExecApproval(const QString &contextId, const QString &text);
    void saveSettings() const;

    StartOptions m_options;
    Connection *m_connection = nullptr;
    ObjectActions *m_actions = nullptr;
    model::KindTreeModel *m_kindModel = nullptr;
    model::ResourceTableModel *m_tableModel = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QComboBox *m_contextBox = nullptr;
    QComboBox *m_namespaceBox = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_banner = nullptr;
    QPushButton *m_retry = nullptr;
    QLineEdit *m_filter = nullptr;
    QTreeView *m_kinds = nullptr;
    QTableView *m_table = nullptr;
    DetailsPane *m_details = nullptr;
    QTabWidget *m_tabs = nullptr;
    TopologyPane *m_topology = nullptr;
    EditorPane *m_editor = nullptr;
    GpuPane *m_gpus = nullptr;
    QSplitter *m_splitter = nullptr;
    bool m_restoringNamespace = false;
    bool m_connectedOnce = false;
    bool m_columnsFitted = false;
};

} // namespace kd::ui
