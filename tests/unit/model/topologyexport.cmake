# The topology as JSON and Graphviz DOT (what `kubedeck topology` prints).
kd_add_test(tst_topologyexport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_topologyexport.cpp
    LIBS kd_model LABELS unit)
