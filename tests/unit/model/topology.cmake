# The serving topology derived from the store, on the sandbox's scenarios.
kd_add_test(tst_topology SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_topology.cpp ${CMAKE_CURRENT_LIST_DIR}/sandboxstore.h
    LIBS kd_model kd_sandbox LABELS unit)
