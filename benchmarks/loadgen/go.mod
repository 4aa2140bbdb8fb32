module rightsledger/bench/loadgen

go 1.21
