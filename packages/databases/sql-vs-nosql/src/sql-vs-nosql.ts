// "SQL or NoSQL" is really three questions about the same data: who checks
// its shape, who can answer a question nobody planned for, and who keeps
// several records in step when one change touches them all. We ask them of
// one small shop (customers, products, orders with line items) stored
// three ways:
//
// - relational (relational.ts): PostgreSQL tables, foreign keys and CHECK
//   constraints; the database knows the schema and enforces it on write;
// - document (documents.ts): each order one JSONB document in PostgreSQL,
//   the customer copied into it; the database stores what it is given;
// - key-value (key-value.ts): Redis hashes, lists and sets under keys we
//   design around the questions we expect to ask.
//
// This file holds what the three share: the domain, and the data.

/** A customer. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  country: string;
}

/** A product, with how many are left. */
export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
}

/** One line of an order. */
export interface LineItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

/** An order: who, what, how many, at what price. */
export interface Order {
  id: string;
  customerId: string;
  status: "placed" | "paid" | "shipped";
  lines: LineItem[];
}

/** Revenue per country in cents: the question none of the models was designed for. */
export type RevenueByCountry = Record<string, number>;

/** A small shop: `customers` customers with `ordersEach` orders each, every order two lines. */
export function sampleShop(customers = 3, ordersEach = 2) {
  const countries = ["FR", "DE", "PT"];
  const products: Product[] = [
    { sku: "mug", name: "Mug", priceCents: 1200, stock: 1_000 },
    { sku: "tee", name: "T-shirt", priceCents: 2500, stock: 1_000 },
    { sku: "cap", name: "Cap", priceCents: 1800, stock: 1_000 },
  ];
  const people: Customer[] = [];
  const orders: Order[] = [];
  for (let c = 1; c <= customers; c++) {
    const id = `c${c}`;
    people.push({
      id,
      name: `Customer ${c}`,
      email: `c${c}@example.com`,
      country: countries[c % 3]!,
    });
    for (let o = 1; o <= ordersEach; o++) {
      const [first, second] = [products[(c + o) % 3]!, products[(c + o + 1) % 3]!];
      orders.push({
        id: `${id}-o${o}`,
        customerId: id,
        status: "placed",
        lines: [
          { sku: first.sku, quantity: o, unitPriceCents: first.priceCents },
          { sku: second.sku, quantity: 1, unitPriceCents: second.priceCents },
        ],
      });
    }
  }
  return { customers: people, products, orders };
}

/** What the answer should be, computed in memory: the yardstick for all three models. */
export function expectedRevenue(customers: Customer[], orders: Order[]): RevenueByCountry {
  const country = new Map(customers.map((c) => [c.id, c.country]));
  const revenue: RevenueByCountry = {};
  for (const order of orders) {
    const key = country.get(order.customerId)!;
    for (const line of order.lines) {
      revenue[key] = (revenue[key] ?? 0) + line.quantity * line.unitPriceCents;
    }
  }
  return revenue;
}

// The malformed order every model is offered: a customer nobody has heard
// of, and a line for minus two mugs. The relational model refuses it at
// the door. The other two take it, and every reader after that has to cope.

/** An order no shop should accept. */
export const MALFORMED_ORDER: Order = {
  id: "bad-1",
  customerId: "ghost",
  status: "placed",
  lines: [{ sku: "mug", quantity: -2, unitPriceCents: 1200 }],
};
