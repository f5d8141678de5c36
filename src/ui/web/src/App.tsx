/** The app shell: skip link, navigation, and the page for the current hash route. */
import { DashboardPage } from './pages/Dashboard';
import { ExperimentsPage } from './pages/Experiments';
import { ItemPage } from './pages/Item';
import { JobsPage } from './pages/Jobs';
import { LibraryPage } from './pages/Library';
import { UploadPage } from './pages/Upload';
import { UserPage } from './pages/User';
import { href, useRoute } from './router';

const NAV = [
  { page: 'library', label: 'Library', to: href.library() },
  { page: 'user', label: 'For you', to: href.user() },
  { page: 'upload', label: 'Search by upload', to: href.upload() },
  { page: 'dashboard', label: 'Evaluation', to: href.dashboard() },
  { page: 'experiments', label: 'Experiments', to: href.experiments() },
  { page: 'jobs', label: 'Jobs', to: href.jobs() },
] as const;

export function App() {
  const route = useRoute();
  const current = route.page === 'item' ? 'library' : route.page;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href.library()}>
          layerwise
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.page}>
                <a href={n.to} aria-current={current === n.page ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'library' && <LibraryPage />}
        {route.page === 'item' && route.id && <ItemPage id={route.id} />}
        {route.page === 'user' && <UserPage {...(route.id ? { id: route.id } : {})} />}
        {route.page === 'upload' && <UploadPage />}
        {route.page === 'dashboard' && <DashboardPage />}
        {route.page === 'jobs' && <JobsPage />}
        {route.page === 'experiments' && <ExperimentsPage {...(route.id ? { id: route.id } : {})} />}
      </main>
    </>
  );
}
