DROP TABLE product_reviews_old;
