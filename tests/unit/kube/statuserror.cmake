kd_add_test(tst_statuserror SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_statuserror.cpp LIBS kd_kube LABELS unit)
