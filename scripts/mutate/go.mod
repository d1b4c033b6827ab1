module gograde.local/mutate

go 1.25
