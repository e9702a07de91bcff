import { ShopTabs } from './shop-tabs';

export default function ShopLayout({ children }: LayoutProps<'/shop'>) {
  return (
    <>
      <ShopTabs />
      {children}
    </>
  );
}
