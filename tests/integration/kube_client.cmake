# kd_kube's transport, ApiClient and write operations against the sandbox.
kd_add_test(tst_transport_tls SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_transport_tls.cpp
    LIBS kd_kube kd_sandbox LABELS integration TIMEOUT 120)
kd_add_test(tst_apiclient SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_apiclient.cpp
    LIBS kd_kube kd_sandbox Qt6::Network LABELS integration TIMEOUT 120)
kd_add_test(tst_writeops SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_writeops.cpp
    LIBS kd_kube kd_sandbox LABELS integration TIMEOUT 120)
