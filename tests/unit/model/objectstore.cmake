kd_add_test(tst_objectstore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_objectstore.cpp
    LIBS kd_model kd_sandbox LABELS unit)
