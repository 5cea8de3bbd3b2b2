import { Component, type ReactNode } from 'react';

/**
 * Keeps a failing part (a chart, a page) from blanking the whole window: shows what went wrong
 * where it happened, in the error's own words.
 */
export class ErrorBoundary extends Component<
  { children: ReactNode; what: string; resetKey?: unknown },
  { error: Error | null; key: unknown }
> {
  override state = { error: null as Error | null, key: undefined as unknown };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: { resetKey?: unknown },
    state: { error: Error | null; key: unknown },
  ) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="alert error" role="alert">
          {this.props.what} could not be shown: {this.state.error.message}
        </div>
      );
    }
    return this.props.children;
  }
}
