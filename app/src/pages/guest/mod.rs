mod bartender;
mod drink;
mod join;
mod menu;
mod orders;

pub use bartender::BartenderPage;
pub use drink::DrinkPage;
pub use join::JoinPage;
pub use menu::MenuPage;
pub use orders::OrdersPage;
