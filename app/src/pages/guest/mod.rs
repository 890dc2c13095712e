mod drink;
mod menu;

pub use drink::DrinkPage;
pub use menu::MenuPage;
