module gograde.local/checker

go 1.25
