kd_add_test(tst_reflectorintake SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_reflectorintake.cpp
    LIBS kd_kube LABELS unit)
