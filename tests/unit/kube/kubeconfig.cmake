# kubeconfig loading/resolving, redaction, exec plugins, approvals and credential providers.
kd_add_test(tst_kubeconfig SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_kubeconfig.cpp
    LIBS kd_kube kd_sandbox LABELS unit)
kd_add_test(tst_execplugin SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_execplugin.cpp
    LIBS kd_kube kd_sandbox LABELS unit TIMEOUT 120)
kd_add_test(tst_redact SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_redact.cpp LIBS kd_kube LABELS unit)
