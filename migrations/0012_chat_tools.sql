-- What the bartender did while answering: each tool it used (search the menu, offer an order,
-- look up the guest's orders, offer a cancellation) with its input and result, as a JSON list
-- kept with the answer (NULL when it used none).

alter table chat_messages add column tools text;
