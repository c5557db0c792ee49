-- Requests stored before button keys existed get one each (128 random bits, hex), so every
-- request has a key its buttons must carry. Their old messages carry none and are refused as out
-- of date; the bot re-renders a request's messages whenever it changes.
UPDATE `requests` SET `button_key` = lower(hex(randomblob(16))) WHERE `button_key` IS NULL;
