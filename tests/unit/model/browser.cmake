kd_add_test(tst_display SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_display.cpp LIBS kd_model LABELS unit)
kd_add_test(tst_browsermodels SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_browsermodels.cpp
    LIBS kd_model LABELS unit)
