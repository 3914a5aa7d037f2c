# kubeconfig loading/resolving, redaction, exec plugins, approvals and credential providers.
kd_add_test(tst_kubeconfigload SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_kubeconfigload.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kubeconfigfixture.h LIBS kd_kube kd_sandbox LABELS unit)
kd_add_test(tst_kubeconfigresolve SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_kubeconfigresolve.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kubeconfigfixture.h LIBS kd_kube kd_sandbox LABELS unit)
kd_add_test(tst_execplugin SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_execplugin.cpp
    LIBS kd_kube kd_sandbox LABELS unit TIMEOUT 120)
kd_add_test(tst_redact SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_redact.cpp LIBS kd_kube LABELS unit)
