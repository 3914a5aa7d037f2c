kd_add_test(tst_backoff SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_backoff.cpp LIBS kd_kube LABELS unit)
