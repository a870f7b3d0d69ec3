-- above the baseline: enforced
DROP TABLE orders;
